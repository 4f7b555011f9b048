"""Calibration builds with a known answer, for checking the harness itself.

``SpinBuild`` burns a fixed service time per event and can stall once for a known time at
a known event — a stand-in for a GC pause. Under open-loop pacing, every event that
arrived during the stall must be charged for it; a harness with coordinated omission would
report only the one slow event. ``expected_latencies`` computes the exact answer.
``WorkBuild`` does a fixed amount of CPU work per event instead: its cost in CPU time does
not stretch when the machine is loaded.

Usable from the CLI as plug-ins, e.g. ``--builds hotpath_lab.drivers.calibration:spin_20us``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from hotpath_format import REPORT_DTYPE, ScenarioMeta
from hotpath_lab.drivers.plugin import Pipeline


class SpinPipeline:
    asynchronous = False

    def __init__(self, service_ns: int, stall_at: int | None, stall_ns: int) -> None:
        self.handle: Callable[..., Any] = self._handle
        self._service_ns = service_ns
        self._stall_at = stall_at
        self._stall_ns = stall_ns

    def _handle(self, index: int, *_: int) -> None:
        perf = time.perf_counter_ns
        busy = self._service_ns + (self._stall_ns if index == self._stall_at else 0)
        until = perf() + busy
        while perf() < until:
            pass

    def report_array(self) -> np.ndarray:
        return np.zeros(0, REPORT_DTYPE)

    def stage_times(self) -> None:
        return None


class SpinBuild:
    """Fixed service time per event, optionally one stall at event ``stall_at``."""

    def __init__(self, service_ns: int, stall_at: int | None = None, stall_ns: int = 0) -> None:
        self.service_ns = service_ns
        self.stall_at = stall_at
        self.stall_ns = stall_ns
        self.name = f"spin-{service_ns}ns" + (f"-stall-{stall_ns}ns@{stall_at}" if stall_at else "")
        self.description = "calibration: known service time" + (
            " and one known stall" if stall_at is not None else ""
        )

    def create(
        self, meta: ScenarioMeta, n_events: int, *, stage_timing: bool, expected_orders: int = 0
    ) -> Pipeline:
        return SpinPipeline(self.service_ns, self.stall_at, self.stall_ns)


class WorkPipeline:
    asynchronous = False

    def __init__(self, iterations: int) -> None:
        self.handle: Callable[..., Any] = self._handle
        self._work = range(iterations)

    def _handle(self, index: int, *_: int) -> None:
        total = 0
        for i in self._work:
            total += i
        self.last = total

    def report_array(self) -> np.ndarray:
        return np.zeros(0, REPORT_DTYPE)

    def stage_times(self) -> None:
        return None


class WorkBuild:
    """A fixed amount of CPU work per event (``iterations`` additions in the interpreter)."""

    description = "calibration: known CPU work per event"

    def __init__(self, iterations: int) -> None:
        self.iterations = iterations
        self.name = f"work-{iterations}"

    def create(
        self, meta: ScenarioMeta, n_events: int, *, stage_timing: bool, expected_orders: int = 0
    ) -> Pipeline:
        return WorkPipeline(self.iterations)


def work_2000() -> WorkBuild:
    return WorkBuild(2_000)


def spin_20us() -> SpinBuild:
    return SpinBuild(20_000)


def spin_20us_stall_50ms() -> SpinBuild:
    return SpinBuild(20_000, stall_at=1_000, stall_ns=50_000_000)


def expected_latencies(
    intended: np.ndarray, service_ns: int, stall_at: int | None = None, stall_ns: int = 0
) -> np.ndarray:
    """Exact latencies (completion − intended) of a single-server queue with these service
    times, for events released at ``intended`` (relative ns)."""
    lat = np.empty(len(intended), np.int64)
    free_at = 0
    for i, t in enumerate(intended.astype(np.int64)):
        start = max(int(t), free_at)
        free_at = start + service_ns + (stall_ns if i == stall_at else 0)
        lat[i] = free_at - t
    return lat
