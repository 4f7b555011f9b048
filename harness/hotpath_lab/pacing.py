"""Intended dispatch times (mirrors ``hotpath_bench::pacing`` exactly, float64 included)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


class PaceError(ValueError):
    pass


@dataclass(frozen=True)
class Pace:
    kind: str  # "recorded" | "rate" | "max"
    speed: float = 1.0
    per_sec: float = 0.0

    @classmethod
    def parse(cls, spec: str, speed: float = 1.0) -> Pace:
        if not (np.isfinite(speed) and speed > 0):
            raise PaceError(f"invalid pace {spec!r}: speed must be a positive number")
        if spec == "recorded":
            return cls("recorded", speed=speed)
        if spec == "max":
            return cls("max")
        if spec.startswith("rate:"):
            try:
                rate = float(spec.removeprefix("rate:"))
            except ValueError:
                raise PaceError(
                    f"invalid pace {spec!r}: rate must be a number of events per second"
                ) from None
            if np.isfinite(rate) and rate > 0:
                return cls("rate", per_sec=rate)
            raise PaceError(f"invalid pace {spec!r}: rate must be positive")
        raise PaceError(f"invalid pace {spec!r}: expected recorded, rate:N or max")

    @property
    def spec(self) -> str:
        return {"recorded": "recorded", "max": "max"}.get(self.kind, f"rate:{self.per_sec!r}")

    @property
    def open_loop(self) -> bool:
        return self.kind != "max"

    def offsets_ns(self, ts: np.ndarray) -> np.ndarray | None:
        """Offset from the pass start at which each event is due; ``None`` for closed loop."""
        if self.kind == "max":
            return None
        if self.kind == "recorded":
            rel = (ts - ts[0]).astype(np.float64) if len(ts) else np.zeros(0)
            return (rel / self.speed).astype(np.uint64)
        idx = np.arange(len(ts), dtype=np.float64)
        return (idx * 1e9 / self.per_sec).astype(np.uint64)
