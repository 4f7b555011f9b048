"""The sustained-rate rule of ``hotpath sweep``: did a target keep up with an offered rate?

A step is sustained when all of these hold (``SustainRule`` holds the numbers; docs/wire.md
gives the reasons for each):

1. the generator and the target ran to the end without an error;
2. achieved ≥ ``achieved_share`` × offered: the target answered at the rate it was sent;
3. its typical e2e P99 ≤ ``p99_factor`` × its low-load P99, the lowest typical P99 the
   target showed at any lower rate: latency has not left its low-load value. *Typical*:
   the median, over the step's short intervals of the interval log, of each interval's
   P99 (``typical_p99``): queueing raises every interval's, while the machine's own
   interruptions (another process on the core for a few ms) raise a few intervals' and,
   through them, the step's overall P99 by 10× from one identical step to the next. The
   lowest, not the first: a noisy first step must not loosen the rule after it;
4. no growing backlog: the median e2e of the last quarter of the order requests is at most
   ``backlog_factor`` × the first quarter's, or at most ``backlog_margin_ns`` above it.

The highest offered rate a target sustained is its knee.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from hotpath_lab import units
from hotpath_lab.reporting.hlog import IntervalCounts, quantiles
from hotpath_lab.storage.latency_model import LatencySummary
from hotpath_lab.storage.sweep_model import SustainRule
from hotpath_lab.storage.wire_model import Trend


@dataclass(frozen=True)
class StepFigures:
    """What the rule reads of one step (``None``: the step was not measured)."""

    offered_per_s: float | None
    achieved_per_s: float | None
    p99_ns: int | None
    """The P99 the rule judges: the step's typical P99 (``None``: no order request)."""
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
    p99 = step.p99_ns
    if p99 is not None and baseline_p99_ns and p99 > rule.p99_factor * baseline_p99_ns:
        reasons.append(
            f"typical P99 {units.latency(p99)} > {rule.p99_factor:g}× the low-load "
            f"{units.latency(baseline_p99_ns)}"
        )
    if step.trend is not None and p99 is not None and backlog_grows(step.trend, rule):
        reasons.append(
            f"backlog grows: median e2e {units.latency(step.trend.e2e_p50_first_ns)} (first "
            f"quarter) → {units.latency(step.trend.e2e_p50_last_ns)} (last)"
        )
    return tuple(reasons)


def low_load_p99(lower: list[int | None]) -> int | None:
    """The low-load P99 a step is judged against: the lowest typical P99 measured at the
    lower rates (``None`` for the first step, judged on the other criteria only)."""
    p99s = [p for p in lower if p]
    return min(p99s) if p99s else None


ORDERS_PER_INTERVAL = 200
"""What an interval of a sweep step's log should hold: its P99 is then its 2nd-3rd
slowest order request, not its slowest."""
MIN_INTERVAL_ORDERS = 50
MIN_INTERVALS = 5


def interval_ns(rate_per_s: float, order_share: float) -> int:
    """The interval-log interval of a step at ``rate_per_s`` where ``order_share`` of the
    events are order requests: ~``ORDERS_PER_INTERVAL`` orders each, 20 ms to 1 s."""
    orders_per_s = max(rate_per_s * order_share, 1e-9)
    return int(min(1.0, max(0.02, ORDERS_PER_INTERVAL / orders_per_s)) * 1e9)


def typical_p99(intervals: IntervalCounts | None, whole: LatencySummary) -> int | None:
    """The median over intervals of each interval's P99, counting intervals with at least
    ``MIN_INTERVAL_ORDERS`` values; the whole step's P99 when fewer than
    ``MIN_INTERVALS`` intervals qualify; ``None`` without order requests."""
    if not whole.count:
        return None
    if intervals is not None:
        full = intervals.counts[intervals.total >= MIN_INTERVAL_ORDERS]
        if len(full) >= MIN_INTERVALS:
            per_interval = quantiles(intervals.values, full, [0.99])[:, 0]
            return int(np.median(per_interval))
    return whole.p99


def sustained_max(rates_and_verdicts: list[tuple[float, bool]]) -> float | None:
    """The highest offered rate that was sustained (``None``: none was)."""
    return max((rate for rate, ok in rates_and_verdicts if ok), default=None)
