"""The wall tier's rules, one per case: too few samples, beyond the noise floor (judged only
beyond the machine's reach), below the clock's resolution, too wide an interval, and the
threshold on the lower bound."""

import math

import numpy as np
import pytest

from hotpath_lab.gate.outcome import Judgement
from hotpath_lab.gate.wall.judge import MAX_WIDTH, THRESHOLDS, MachineNoise, judge_row
from hotpath_lab.gate.wall.resampling import Change
from hotpath_lab.gate.wall.samples import ProcessFacts, SideSamples, clock_tick_ns

QUIET = MachineNoise(stolen_share=0.005, interruption_ns=4_000)


def change(q: float, base: float, low: float, high: float) -> Change:
    mid = (low + high) / 2
    return Change(q, base, base * (1 + mid), mid, low, high)


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (THRESHOLDS[0.5] + 0.01, THRESHOLDS[0.5] + 0.1, Judgement.REGRESSION),
        (THRESHOLDS[0.5] - 0.01, THRESHOLDS[0.5] + 0.1, Judgement.PASS),  # could be noise
        (-0.2, -0.1, Judgement.PASS),  # faster
        (-0.1, -0.1 + MAX_WIDTH[0.5] + 0.01, Judgement.UNMEASURED),  # cannot tell
        (THRESHOLDS[0.5] + 0.01, MAX_WIDTH[0.5] + 0.2, Judgement.REGRESSION),  # wide, but worse
    ],
)
def test_within_the_floor_the_lower_bound_decides(
    low: float, high: float, expected: Judgement
) -> None:
    row = judge_row("python", "risk", change(0.5, 4000, low, high), 40_000, QUIET)
    assert row.judgement is expected, row
    assert row.metric == "risk P50" and row.threshold == THRESHOLDS[0.5]


def test_too_few_samples_for_the_tail_is_unmeasured() -> None:
    row = judge_row("python", "e2e", change(0.999, 60_000, 0.5, 0.9), 10_000, QUIET)
    assert row.judgement is Judgement.UNMEASURED
    assert "samples beyond P99.9" in row.note


def test_beyond_the_floor_a_change_within_the_machines_reach_is_not_gated() -> None:
    loaded = MachineNoise(stolen_share=0.02, interruption_ns=30_000)  # floor at p98
    # above the threshold, but at least +35 % of 60 µs is 21 µs: one interruption could do that
    row = judge_row("python", "e2e", change(0.999, 60_000, 0.35, 0.8), 40_000, loaded)
    assert row.judgement is Judgement.NOT_GATED
    assert "beyond the noise floor (p98.00)" in row.note


def test_beyond_the_floor_a_stall_longer_than_any_interruption_is_a_regression() -> None:
    noisy = MachineNoise(stolen_share=0.02, interruption_ns=8_000)
    # at least +40 % of 60 µs = 24 µs: three times the machine's typical interruption
    row = judge_row("python", "e2e", change(0.999, 60_000, 0.4, 0.8), 40_000, noisy)
    assert row.judgement is Judgement.REGRESSION
    assert "longer than the machine's interruptions" in row.note


def test_without_a_noise_probe_nothing_is_judged() -> None:
    facts = [ProcessFacts(None, None, "d")]
    row = judge_row("python", "risk", change(0.5, 4000, 0.2, 0.3), 40_000, MachineNoise.of(facts))
    assert row.judgement is Judgement.UNMEASURED and math.isnan(MachineNoise.of(facts).stolen_share)


def test_a_span_shorter_than_the_clock_can_resolve_is_not_gated() -> None:
    # an 80 ns stage on a clock that steps by 10 ns: one step is 12.5 %, more than +5 %
    row = judge_row("rust-ffi", "risk", change(0.5, 80, 0.1, 0.2), 40_000, QUIET, tick_ns=10)
    assert row.judgement is Judgement.NOT_GATED
    assert "clock's resolution" in row.note and "12% of 80 ns" in row.note
    # the same change on a 1 µs span is judged
    row = judge_row("rust-ffi", "service", change(0.5, 1000, 0.1, 0.2), 40_000, QUIET, tick_ns=10)
    assert row.judgement is Judgement.REGRESSION


def sides_with_values(values: list[int]) -> dict[str, tuple[SideSamples, SideSamples]]:
    grid = np.array(values)
    one = SideSamples("risk", grid, np.ones((1, len(grid)), dtype=np.int64), np.zeros(1), 1)
    return {"risk": (one, one)}


def test_the_clock_step_is_read_off_the_recorded_values() -> None:
    stepped = [29, 30, 31, 40, 41, 49, 50, 51, 60, 61, 69, 70, 71, 80, 81, 89, 90]
    assert clock_tick_ns(sides_with_values(stepped)) == pytest.approx(10, abs=1)
    assert clock_tick_ns(sides_with_values(list(range(100, 160)))) == 1.0  # no visible step
    assert math.isnan(clock_tick_ns(sides_with_values([100, 200])))
