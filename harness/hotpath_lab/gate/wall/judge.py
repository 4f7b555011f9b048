"""From one build's two sides of samples to judged rows: the wall tier's rules.

For each metric (``samples.METRICS``) and percentile (``QUANTILES``), in this order:

1. **Too few samples** — fewer than ``MIN_TAIL_SAMPLES`` values beyond the percentile on a
   side: UNMEASURED (P99.9 of a short run rests on a handful of orders).
2. **Beyond the noise floor** — the percentile lies above ``1 − stolen_share`` of some
   process of either side (docs/measurement.md): the machine's interruptions, not the
   build, set latency there — but only up to an interruption's own length. Such a row is
   NOT_GATED, unless the change is out of the machine's reach: its interval's lower bound
   exceeds the threshold *and*, in nanoseconds, the machine's typical interruption
   (``interruption_ns``: the probes' median gap, the largest over both sides' processes;
   4–6 µs on the 2-core VM). A stall of tens of µs in 0.2 % of orders is the build's
   whatever the machine; a 2 µs shift of P99.9 on a machine that loses 2 % of its time in
   4 µs gaps is not judged. On 40 clean processes (docs/gate-wall.md) no P99/P99.9 interval
   had a positive lower bound in ns at all, so this rule never fired on a clean run.
3. **Below the clock's resolution** — one clock step (``tick_ns``, read off the values
   recorded: ~10 ns on the 2-core VM) is more than the threshold's share of the value: a
   percentile of such a span moves only in whole steps (an 80 ns stage reads 70, 80 or
   90), so a +5 % change cannot show. NOT_GATED, saying so; the deterministic tier sees
   such stages (a Rust stage of 60–200 ns at P50).
4. **Worse beyond doubt** — the interval's lower bound above the threshold: REGRESSION,
   however wide the interval (a wide interval that clears the threshold is still a slowdown;
   the small-sample stretch makes a 4-pair interval wide).
5. **Interval too wide** — wider than ``MAX_WIDTH``: UNMEASURED (the data cannot tell a
   regression of the threshold's size from none); otherwise PASS.

Thresholds and widths come from clean A-vs-A comparisons on the 2-core machine the tier
was written on (docs/gate-wall.md has the figures).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from hotpath_lab import units
from hotpath_lab.gate.outcome import Judgement, Row
from hotpath_lab.gate.wall.resampling import Change, changes
from hotpath_lab.gate.wall.samples import ProcessFacts, SideSamples, clock_tick_ns

QUANTILES = (0.5, 0.99, 0.999)
LABELS = {0.5: "P50", 0.99: "P99", 0.999: "P99.9"}
THRESHOLDS = {0.5: 0.05, 0.99: 0.15, 0.999: 0.30}
"""A regression: the change's lower bound above this (relative). Over 9 clean A-vs-A
comparisons (40 processes per build, 405 rows) the largest lower bound was +3.6 % at P50,
+3.2 % at P99 and +12.3 % at P99.9 (docs/gate-wall.md): each threshold is above that with
room to spare, and none of those comparisons judged a regression."""
MAX_WIDTH = {0.5: 0.5, 0.99: 1.0, 0.999: 2.5}
"""An interval wider than this (high − low) cannot judge the threshold: UNMEASURED. With 6
pairs on the quiet half of the clean series the median widths were 0.14–0.36 at P50,
0.34–0.76 at P99 and 0.58–1.5 at P99.9; wider means a noisy job or too few pairs."""
MIN_TAIL_SAMPLES = 20
"""Values needed beyond a percentile, per side, for its interval to mean anything."""


@dataclass(frozen=True)
class MachineNoise:
    """The noise-floor probes of every process of both sides, for one build."""

    stolen_share: float
    """The largest share of time lost, over all processes: beyond 1 − this, the machine."""
    interruption_ns: float
    """The largest median interruption length, over all processes."""

    @classmethod
    def of(cls, facts: Sequence[ProcessFacts]) -> MachineNoise:
        stolen = [f.stolen_share for f in facts if f.stolen_share is not None]
        gaps = [f.gap_p50_ns for f in facts if f.gap_p50_ns is not None]
        if not stolen:
            return cls(math.nan, math.nan)
        return cls(max(stolen), max(gaps) if gaps else math.nan)

    @property
    def floor_quantile(self) -> float:
        return 1 - self.stolen_share


def judge_build(
    build: str,
    sides: dict[str, tuple[SideSamples, SideSamples]],
    noise: MachineNoise,
    *,
    method: str = "paired",
    replicates: int = 1000,
) -> list[Row]:
    tick = clock_tick_ns(sides)
    return [
        judge_row(build, metric, ch, min(a.samples, b.samples), noise, tick_ns=tick)
        for metric, (a, b) in sides.items()
        for ch in changes(a, b, QUANTILES, method=method, replicates=replicates)
    ]


def judge_row(
    build: str,
    metric: str,
    ch: Change,
    samples: int,
    noise: MachineNoise,
    *,
    tick_ns: float = math.nan,
) -> Row:
    q = ch.q
    threshold = THRESHOLDS[q]

    def row(judgement: Judgement, note: str = "") -> Row:
        return Row(build, f"{metric} {LABELS[q]}", "ns", ch.baseline, ch.candidate, ch.change,
                   ch.low, ch.high, threshold, judgement, note)  # fmt: skip

    tail = samples * (1 - q)
    if tail < MIN_TAIL_SAMPLES or not all(map(math.isfinite, (ch.change, ch.low, ch.high))):
        return row(
            Judgement.UNMEASURED,
            f"{tail:.0f} samples beyond {LABELS[q]} per side, {MIN_TAIL_SAMPLES} needed: "
            "run more pairs",
        )
    if math.isnan(noise.stolen_share):
        return row(Judgement.UNMEASURED, "no noise-floor probe in the runs (--jitter-seconds 0?)")
    if q > noise.floor_quantile:
        reach = noise.interruption_ns
        shift_low = ch.low * ch.baseline
        floor = f"beyond the noise floor (p{100 * noise.floor_quantile:.2f})"
        if ch.low > threshold and math.isfinite(reach) and shift_low > reach:
            return row(
                Judgement.REGRESSION,
                f"{floor}, but +{shift_low / 1e3:.1f} µs at least: longer than the machine's "
                f"interruptions ({reach / 1e3:.1f} µs)",
            )
        return row(
            Judgement.NOT_GATED,
            f"{floor}: judged only for a change above {reach / 1e3:.1f} µs",
        )
    if math.isfinite(tick_ns) and ch.baseline > 0 and tick_ns / ch.baseline > threshold:
        return row(
            Judgement.NOT_GATED,
            f"below the clock's resolution: one step ({tick_ns:.0f} ns) is "
            f"{100 * tick_ns / ch.baseline:.0f}% of {units.latency(ch.baseline)}",
        )
    if ch.low > threshold:
        return row(Judgement.REGRESSION)
    if ch.high - ch.low > MAX_WIDTH[q]:
        return row(
            Judgement.UNMEASURED,
            f"interval {100 * (ch.high - ch.low):.0f} points wide, at most "
            f"{100 * MAX_WIDTH[q]:.0f} can judge: the machine is too noisy or the runs too few",
        )
    # what this row could have caught: a change whose interval, as wide as this one,
    # would have had its lower bound above the threshold
    return row(Judgement.PASS, f"would catch ≥ {100 * (threshold + ch.change - ch.low):+.0f}%")
