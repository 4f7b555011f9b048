"""speedscope documents: one sampled profile, frames shared, weights = sample counts."""

import json

from hotpath_lab.profiling.speedscope import SCHEMA, speedscope_json
from hotpath_lab.profiling.stacks import Stack, parse_frame


def test_stacks_become_indices_into_a_shared_frame_table() -> None:
    a = parse_frame("run_pass (hotpath_lab/drivers/python_loop.py:1)")
    b = parse_frame("hotpath_core::engine::Engine::on_event::h0123456789abcdef (mod.rs:8)")
    doc = json.loads(speedscope_json([Stack((a, b), 5), Stack((a,), 2)], "hotpath x"))
    assert doc["$schema"] == SCHEMA
    frames = doc["shared"]["frames"]
    assert frames == [
        {"name": "run_pass", "file": "hotpath_lab/drivers/python_loop.py"},
        {"name": "hotpath_core::engine::Engine::on_event", "file": "mod.rs"},
    ]
    (profile,) = doc["profiles"]
    assert profile["type"] == "sampled"
    assert profile["samples"] == [[0, 1], [0]]
    assert profile["weights"] == [5, 2]
    assert profile["endValue"] == 7
