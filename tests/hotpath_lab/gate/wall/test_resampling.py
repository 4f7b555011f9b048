"""The change interval: the two-level bootstrap sees between-process variance that the
one-level one misses, pairing cancels what a pair shares, and a real shift is found."""

from collections.abc import Sequence

import numpy as np

from hotpath_lab.gate.wall.resampling import changes
from hotpath_lab.gate.wall.samples import SideSamples

GRID = np.arange(100, 400, dtype=np.int64)


def side(
    process_means: Sequence[float], seconds: int = 6, per_second: int = 400, seed: int = 0
) -> SideSamples:
    """Processes whose latencies are normal around their own mean (a process effect), in
    ``seconds`` one-second histograms each, on a shared grid."""
    rng = np.random.default_rng(seed)
    rows, owner = [], []
    for p, mean in enumerate(process_means):
        for _ in range(seconds):
            v = np.clip(rng.normal(mean, 10, per_second).round().astype(int), 100, 399)
            rows.append(np.bincount(v - 100, minlength=len(GRID)))
            owner.append(p)
    return SideSamples("risk", GRID, np.array(rows), np.array(owner), len(process_means))


def test_process_effects_widen_the_two_level_interval_but_not_the_one_level_one() -> None:
    a = side([200, 230, 190, 215], seed=1)
    b = side([225, 195, 210, 205], seed=2)
    (one,) = changes(a, b, [0.5], method="intervals")
    (two,) = changes(a, b, [0.5], method="two-level")
    assert two.high - two.low > 2 * (one.high - one.low)
    assert two.low < 0 < two.high  # same population of process means: no change


def test_pairing_cancels_what_a_pair_shares() -> None:
    drift = [180, 240, 200, 260]  # the machine's state during each pair, shared by both sides
    a = side(drift, seed=3)
    b = side([m * 1.10 for m in drift], seed=4)  # +10 % in every pair
    (paired,) = changes(a, b, [0.5], method="paired")
    (unpaired,) = changes(a, b, [0.5], method="two-level")
    assert 0 < paired.low < 0.10 < paired.high < 0.15
    assert unpaired.low < 0  # the drift drowns the change when pairs are ignored


def test_the_point_estimate_is_the_merged_histograms_percentile() -> None:
    a = side([200, 200], seed=5)
    b = side([220, 220], seed=6)
    (c,) = changes(a, b, [0.5])
    assert abs(c.baseline - 200) <= 1 and abs(c.candidate - 220) <= 1
    assert c.change == c.candidate / c.baseline - 1
