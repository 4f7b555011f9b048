"""Replay a scenario through one build as fast as possible and return its reports.

Used by ``hotpath run`` and ``hotpath shadow``: correctness, not measurement (``bench``
measures, in a process per build).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from hotpath_format import EventFile, order_capacity, report_digest
from hotpath_lab.drivers.plugin import AnyBuild, BuildFailed, SelfDrivenBuild
from hotpath_lab.drivers.python_loop import feed


@dataclass
class Replay:
    build: str
    reports: np.ndarray
    digest: str
    seconds: float
    events: int


def replay(
    build: AnyBuild,
    scenario: EventFile,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Replay:
    """Every event of ``scenario`` through a fresh engine of ``build``.

    Raises ``BuildFailed`` (naming the build) if the build raises, whatever it raises.
    """
    records = scenario.records
    started = time.perf_counter()
    try:
        if isinstance(build, SelfDrivenBuild):
            reports = build.replay(scenario.meta, records)
            if progress is not None:
                progress(len(records), len(records))
        else:
            pipeline = build.create(
                scenario.meta,
                len(records),
                stage_timing=False,
                expected_orders=order_capacity(records),
            )
            feed(pipeline, records, progress=progress)
            reports = pipeline.report_array()
        digest = report_digest(reports)
    except Exception as exc:
        raise BuildFailed(f"build {build.name!r} failed: {type(exc).__name__}: {exc}") from exc
    seconds = time.perf_counter() - started
    return Replay(build.name, reports, digest, seconds, len(records))
