"""Replay a scenario through one build as fast as possible and return its reports.

Used by ``hotpath run`` and ``hotpath shadow``: correctness, not measurement (``bench``
measures, in a process per build).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from hotpath_format import EventFile, report_digest
from hotpath_lab.drivers.builds import BUILTIN, NATIVE, meta_json, order_capacity
from hotpath_lab.drivers.plugin import load_build
from hotpath_lab.drivers.python_loop import feed


@dataclass
class Replay:
    build: str
    reports: np.ndarray
    digest: str
    seconds: float
    events: int


def replay(
    build_name: str,
    scenario: EventFile,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Replay:
    build = load_build(build_name, BUILTIN)
    records = scenario.records
    started = time.perf_counter()
    if build.name == NATIVE:
        # the rust-native build is the engine inside the toolkit's Rust loop
        import hotpath_toolkit

        reports = hotpath_toolkit.replay(meta_json(scenario.meta), records)
        if progress is not None:
            progress(len(records), len(records))
    else:
        pipeline = build.create(
            scenario.meta, len(records), stage_timing=False, expected_orders=order_capacity(records)
        )
        feed(pipeline, records, progress=progress)
        reports = pipeline.report_array()
    seconds = time.perf_counter() - started
    return Replay(build.name, reports, report_digest(reports), seconds, len(records))
