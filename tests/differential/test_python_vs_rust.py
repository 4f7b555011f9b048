"""The strongest test the project has: random event streams, valid and invalid, through the
Python build, the Rust build (batch and per-event) and the hybrid builds of the migration
phases must give identical report streams."""

from __future__ import annotations

import hotpath_rs
import numpy as np
import pytest
from hypothesis import given, settings
from tests.hotpath_asyncio.streams import (
    ADVERSARIAL,
    REALISTIC,
    random_scenario,
    scenarios,
    seeded_scenarios,
)

import hotpath_asyncio
from hotpath_format import EVENT_STRUCT, ScenarioMeta
from hotpath_hybrid import PythonValidationFront, RustRiskEngine
from hotpath_lab.shadow import context, describe_report, first_divergence


def assert_same(meta: ScenarioMeta, records: np.ndarray) -> np.ndarray:
    python = hotpath_asyncio.replay(meta, records).report_array()
    native = hotpath_rs.replay(meta.to_json(), records)
    engine = hotpath_rs.Engine(meta.to_json())
    hybrid_risk = RustRiskEngine(meta)
    hybrid_risk_exec = PythonValidationFront(meta)
    buf = records.view(np.uint8).data
    for i in range(len(records)):
        fields = EVENT_STRUCT.unpack_from(buf, i * EVENT_STRUCT.size)
        engine.on_event(i, *fields)
        hybrid_risk.handle(i, *fields)
        hybrid_risk_exec.handle(i, *fields)
    streams = (
        ("rust-native", native),
        ("rust-ffi", engine.report_array()),
        ("hybrid-risk", hybrid_risk.report_array()),
        ("hybrid-risk-exec", hybrid_risk_exec.report_array()),
    )
    for name, other in streams:
        d = first_divergence(python, other)
        if d is not None:
            ctx = context(d, records, python, other)
            pytest.fail(
                f"python and {name} diverge at report {d.index}:\n"
                f"  python: {describe_report(d.a)}\n  {name}: {describe_report(d.b)}\n"
                + "\n".join(f"    {e}" for e in ctx["events"])
            )
    return python


@settings(max_examples=400)
@given(scenarios(max_events=200, profile=ADVERSARIAL))
def test_random_adversarial_streams_agree(sc: tuple[ScenarioMeta, np.ndarray]) -> None:
    assert_same(*sc)


@settings(max_examples=60)
@given(seeded_scenarios(min_events=200, max_events=3_000, profile=REALISTIC))
def test_random_realistic_streams_agree(sc: tuple[ScenarioMeta, np.ndarray]) -> None:
    assert_same(*sc)


def test_long_seeded_streams_agree_and_exercise_every_report_kind() -> None:
    kinds: set[int] = set()
    reasons: set[int] = set()
    for seed in (1, 2, 3, 4):
        meta, records = random_scenario(seed, 20_000, ADVERSARIAL)
        reports = assert_same(meta, records)
        kinds |= set(np.unique(reports["kind"]).tolist())
        reasons |= set(np.unique(reports["reason"][reports["kind"] == 2]).tolist())
    assert kinds == {1, 2, 3, 4, 5, 6}, kinds
    assert len(reasons) >= 15, sorted(reasons)
