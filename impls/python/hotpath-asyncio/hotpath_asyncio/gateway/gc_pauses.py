"""The collector's pauses over the gateway's life, through ``gc.callbacks`` (the lab reports
GC pauses for every Python process it measures; a gateway reports its own in its exit line)."""

from __future__ import annotations

import gc
from time import perf_counter_ns
from typing import Any


class GcPauses:
    """Count, total and longest pause; the callback only does integer arithmetic, so timing
    a collection allocates nothing the collector tracks."""

    __slots__ = ("_started", "count", "max_ns", "total_ns")

    def __init__(self) -> None:
        self._started = 0
        self.count = 0
        self.total_ns = 0
        self.max_ns = 0

    def __enter__(self) -> GcPauses:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._callback)

    def _callback(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = perf_counter_ns()
            return
        pause = perf_counter_ns() - self._started
        self.count += 1
        self.total_ns += pause
        self.max_ns = max(self.max_ns, pause)

    def to_json(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "total_ms": self.total_ns / 1e6,
            "max_ms": self.max_ns / 1e6,
        }
