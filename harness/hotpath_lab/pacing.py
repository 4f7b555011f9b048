"""Intended dispatch times (mirrors ``hotpath_bench::pacing`` exactly, float64 included)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_RATE = 1e9
"""Most events per second ``rate:N`` takes: intended times are whole ns, so a faster rate
would give successive events the same time (``hotpath_bench::pacing::MAX_RATE``)."""

MAX_OFFSET_NS = 2**63
"""A schedule must end before this many ns from its start (292 years): beyond it, the
intended times overflow the integers that hold them."""


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
            if not (np.isfinite(rate) and rate > 0):
                raise PaceError(f"invalid pace {spec!r}: rate must be positive")
            if rate > MAX_RATE:
                raise PaceError(
                    f"invalid pace {spec!r}: at most {MAX_RATE:.0e} events/s (intended times "
                    "are whole ns; faster, successive events would be due at the same ns)"
                )
            return cls("rate", per_sec=rate)
        raise PaceError(f"invalid pace {spec!r}: expected recorded, rate:N or max")

    @property
    def spec(self) -> str:
        return {"recorded": "recorded", "max": "max"}.get(self.kind, f"rate:{self.per_sec!r}")

    @property
    def open_loop(self) -> bool:
        return self.kind != "max"

    def check_schedule(self, ts: np.ndarray) -> None:
        """Raises ``PaceError`` if the events at times ``ts`` cannot be paced: the last one
        would be due too late to count to (``MAX_OFFSET_NS``), or every one at the start
        though their times differ (time compressed below 1 ns). Call it before any work."""
        if self.kind == "max" or len(ts) < 2:
            return
        if self.kind == "recorded":
            span_ns = int(ts[-1]) - int(ts[0])
            last = span_ns / self.speed
            how = f"at --speed {self.speed:g}, its {span_ns / 1e9:,.9g} s of scenario time take"
        else:
            span_ns = len(ts) - 1
            last = (len(ts) - 1) * 1e9 / self.per_sec
            how = f"at {self.per_sec:g} events/s, its {len(ts):,} events take"
        if not last < MAX_OFFSET_NS:
            raise PaceError(
                f"cannot pace this scenario {self.spec}: {how} {last / 1e9:.3g} s, more than "
                f"a schedule can hold ({MAX_OFFSET_NS / 1e9:.3g} s)"
            )
        if span_ns > 0 and last < 1:
            raise PaceError(
                f"cannot pace this scenario {self.spec}: {how} {last:.3g} ns, so every event "
                "would be due at the start (use --pace max for a closed loop)"
            )

    def offsets_ns(self, ts: np.ndarray) -> np.ndarray | None:
        """Offset from the pass start at which each event is due; ``None`` for closed loop."""
        if self.kind == "max":
            return None
        if self.kind == "recorded":
            rel = (ts - ts[0]).astype(np.float64) if len(ts) else np.zeros(0)
            return (rel / self.speed).astype(np.uint64)
        idx = np.arange(len(ts), dtype=np.float64)
        return (idx * 1e9 / self.per_sec).astype(np.uint64)
