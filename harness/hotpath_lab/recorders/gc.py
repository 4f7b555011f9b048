"""Python garbage-collector pauses, captured through ``gc.callbacks``.

The callback stores into preallocated ``array`` buffers (no tracked objects are created, so
recording a collection cannot itself trigger one).
"""

from __future__ import annotations

import gc
import time
from array import array
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass
class GcEvents:
    generation: np.ndarray
    start_ns: np.ndarray
    stop_ns: np.ndarray
    collected: np.ndarray

    @classmethod
    def empty(cls) -> GcEvents:
        z = np.zeros(0, np.int64)
        return cls(np.zeros(0, np.uint8), z, z, z)

    @property
    def pause_ns(self) -> np.ndarray:
        pauses: np.ndarray = self.stop_ns - self.start_ns
        return pauses

    def __len__(self) -> int:
        return len(self.start_ns)

    def summary(self) -> dict[str, Any]:
        pauses = self.pause_ns
        by_gen = {
            str(g): {
                "count": int(np.count_nonzero(self.generation == g)),
                "total_ms": float(pauses[self.generation == g].sum()) / 1e6,
                "max_ms": float(pauses[self.generation == g].max()) / 1e6
                if np.any(self.generation == g)
                else 0.0,
            }
            for g in (0, 1, 2)
        }
        return {
            "count": len(self),
            "total_ms": float(pauses.sum()) / 1e6 if len(self) else 0.0,
            "max_ms": float(pauses.max()) / 1e6 if len(self) else 0.0,
            "collected": int(self.collected.sum()) if len(self) else 0,
            "by_generation": by_gen,
        }

    def to_csv(self, t0: int) -> str:
        lines = ["generation,start_ms,pause_us,collected"]
        for g, s, p, c in zip(
            self.generation, self.start_ns, self.pause_ns, self.collected, strict=True
        ):
            lines.append(f"{int(g)},{(int(s) - t0) / 1e6:.6f},{int(p) / 1e3:.3f},{int(c)}")
        return "\n".join(lines) + "\n"


class GcRecorder:
    """Records every collection between ``start()`` and ``stop()``."""

    def __init__(self) -> None:
        self._gen = array("B")
        self._start = array("Q")
        self._stop = array("Q")
        self._collected = array("Q")
        self._pending = 0
        self._active = False

    def _callback(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._pending = time.perf_counter_ns()
        else:
            self._stop.append(time.perf_counter_ns())
            self._start.append(self._pending)
            self._gen.append(info["generation"])
            self._collected.append(info["collected"])

    def start(self) -> None:
        if not self._active:
            gc.callbacks.append(self._callback)
            self._active = True

    def stop(self) -> GcEvents:
        if self._active:
            gc.callbacks.remove(self._callback)
            self._active = False
        return GcEvents(
            generation=np.frombuffer(self._gen, np.uint8).copy(),
            start_ns=np.frombuffer(self._start, np.uint64).astype(np.int64),
            stop_ns=np.frombuffer(self._stop, np.uint64).astype(np.int64),
            collected=np.frombuffer(self._collected, np.uint64).astype(np.int64),
        )


def tail_overlap(
    intended: np.ndarray, end: np.ndarray, latency: np.ndarray, gc_events: GcEvents, share: float
) -> dict[str, Any]:
    """How many of the slowest ``share`` of events overlapped a GC pause.

    An event overlaps a pause when the pause interval intersects [intended, end].
    """
    n = len(latency)
    k = max(1, int(np.ceil(n * share))) if n else 0
    if k == 0:
        return {"slowest": 0, "overlapped": 0, "share": 0.0, "threshold_ns": 0}
    idx = np.argpartition(latency, n - k)[n - k :]
    lo = intended[idx].astype(np.int64)
    hi = end[idx].astype(np.int64)
    if len(gc_events) == 0:
        hits = 0
    else:
        order = np.argsort(gc_events.start_ns)
        starts = gc_events.start_ns[order]
        stops = gc_events.stop_ns[order]
        # the last pause starting at or before hi overlaps iff it has not stopped before lo;
        # pauses never overlap each other, so checking that one suffices
        j = np.searchsorted(starts, hi, side="right") - 1
        valid = j >= 0
        hits = int(np.count_nonzero(valid & (stops[np.clip(j, 0, None)] >= lo)))
    return {
        "slowest": int(k),
        "overlapped": hits,
        "share": hits / k,
        "threshold_ns": int(latency[idx].min()),
    }
