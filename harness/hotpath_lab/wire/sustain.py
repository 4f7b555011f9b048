"""The sustained-rate rule of ``hotpath sweep``: did a target keep up with an offered rate?

A step is sustained when all of these hold (``SustainRule`` holds the numbers; docs/wire.md
gives the reasons for each):

1. the generator and the target ran to the end without an error;
2. achieved ≥ ``achieved_share`` × offered: the target answered at the rate it was sent;
3. e2e P99 ≤ ``p99_factor`` × its low-load P99, the lowest P99 the target showed at any
   lower rate: latency has not left its low-load value (the lowest, not the first: a noisy
   first step must not loosen the rule for every step after it);
4. no growing backlog: the median e2e of the last quarter of the order requests is at most
   ``backlog_factor`` × the first quarter's, or at most ``backlog_margin_ns`` above it.

The highest offered rate a target sustained is its knee.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from hotpath_lab import units
from hotpath_lab.storage.latency_model import LatencySummary
from hotpath_lab.storage.sweep_model import SustainRule
from hotpath_lab.storage.wire_model import Trend


@dataclass(frozen=True)
class StepFigures:
    """What the rule reads of one step (``None``: the step was not measured)."""

    offered_per_s: float | None
    achieved_per_s: float | None
    e2e: LatencySummary | None
    trend: Trend | None
    errors: Mapping[str, int]
    failure: str | None


def backlog_grows(trend: Trend, rule: SustainRule) -> bool:
    first, last = trend.e2e_p50_first_ns, trend.e2e_p50_last_ns
    return last > rule.backlog_factor * first and last - first > rule.backlog_margin_ns


def judge(step: StepFigures, baseline_p99_ns: int | None, rule: SustainRule) -> tuple[str, ...]:
    """Why ``step`` was not sustained (empty: it was). ``baseline_p99_ns`` is the target's
    low-load e2e P99 (``low_load_p99``; ``None`` or 0: not judged on P99)."""
    if step.failure is not None:
        return (f"failed: {step.failure}",)
    reasons = []
    if step.errors:
        named = ", ".join(f"{k} {v}" for k, v in step.errors.items())
        reasons.append(f"ERROR frames ({named})")
    offered, achieved = step.offered_per_s, step.achieved_per_s
    if offered and (achieved is None or achieved < rule.achieved_share * offered):
        reasons.append(
            f"achieved {units.count(achieved)}/s < {rule.achieved_share:.0%} of offered "
            f"{units.count(offered)}/s"
        )
    e2e = step.e2e
    if (
        e2e is not None
        and e2e.count
        and baseline_p99_ns
        and e2e.p99 > rule.p99_factor * baseline_p99_ns
    ):
        reasons.append(
            f"P99 {units.latency(e2e.p99)} > {rule.p99_factor:g}× the low-load "
            f"{units.latency(baseline_p99_ns)}"
        )
    if step.trend is not None and e2e is not None and e2e.count and backlog_grows(step.trend, rule):
        reasons.append(
            f"backlog grows: median e2e {units.latency(step.trend.e2e_p50_first_ns)} (first "
            f"quarter) → {units.latency(step.trend.e2e_p50_last_ns)} (last)"
        )
    return tuple(reasons)


def low_load_p99(lower: list[LatencySummary | None]) -> int | None:
    """The low-load P99 a step is judged against: the lowest e2e P99 measured at the lower
    rates (``None`` for the first step, judged on the other criteria only)."""
    p99s = [s.p99 for s in lower if s is not None and s.count]
    return min(p99s) if p99s else None


def sustained_max(rates_and_verdicts: list[tuple[float, bool]]) -> float | None:
    """The highest offered rate that was sustained (``None``: none was)."""
    return max((rate for rate, ok in rates_and_verdicts if ok), default=None)
