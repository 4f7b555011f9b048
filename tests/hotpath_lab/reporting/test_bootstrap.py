"""Bootstrap intervals for percentiles from histograms."""

import numpy as np
import pytest

from hotpath_lab.reporting.bootstrap import (
    MIN_BLOCKS,
    block_bootstrap,
    histogram_bootstrap,
    percentile_ci,
    ratio_ci,
    replicate_quantiles,
)
from hotpath_lab.reporting.hlog import IntervalCounts, quantiles


def synthetic(blocks: int, per_block: int, seed: int = 1) -> IntervalCounts:
    """Log-normal latencies on a grid of 200 values, ``blocks`` intervals."""
    rng = np.random.default_rng(seed)
    values = np.unique(np.geomspace(1_000, 1_000_000, 200).astype(np.int64))
    counts = np.zeros((blocks, len(values)), dtype=np.int64)
    for b in range(blocks):
        draws = rng.lognormal(np.log(10_000), 0.8, per_block)
        idx = np.clip(np.searchsorted(values, draws), 0, len(values) - 1)
        np.add.at(counts[b], idx, 1)
    return IntervalCounts("e2e", np.arange(blocks, dtype=float), np.ones(blocks), values, counts)


def test_the_interval_contains_the_estimate_and_narrows_with_more_data() -> None:
    small = histogram_bootstrap(*_merged(synthetic(1, 500)), 0.99, replicates=300)
    large = histogram_bootstrap(*_merged(synthetic(1, 50_000)), 0.99, replicates=300)
    for ci in (small, large):
        assert ci.low <= ci.estimate <= ci.high
    assert (large.high - large.low) < (small.high - small.low)


def _merged(ic: IntervalCounts) -> tuple[np.ndarray, np.ndarray]:
    return ic.values, ic.merged()


def test_block_bootstrap_resamples_intervals_and_is_reproducible() -> None:
    ic = synthetic(20, 2_000)
    a = block_bootstrap(ic, 0.99, replicates=200, seed=3)
    b = block_bootstrap(ic, 0.99, replicates=200, seed=3)
    assert a == b
    assert a.method == "interval" and a.blocks == 20 and a.samples == 40_000
    assert a.estimate == quantiles(ic.values, ic.merged(), [0.99])[0]
    assert a.low <= a.estimate <= a.high


def test_a_burst_in_one_interval_widens_the_block_interval() -> None:
    """Correlated tails: the i.i.d. bootstrap is too sure of itself, the block one is not."""
    ic = synthetic(20, 2_000)
    burst = ic.counts.copy()
    burst[7, -5] += 300  # one second with 300 very slow orders
    ic = IntervalCounts("e2e", ic.start_s, ic.length_s, ic.values, burst)
    blocks = block_bootstrap(ic, 0.99, replicates=400)
    iid = histogram_bootstrap(ic.values, ic.merged(), 0.99, replicates=400)
    assert (blocks.high - blocks.low) > 2 * (iid.high - iid.low)


def test_auto_falls_back_to_the_histogram_bootstrap_for_short_runs() -> None:
    assert percentile_ci(synthetic(MIN_BLOCKS - 1, 500), replicates=50).method == "histogram"
    assert percentile_ci(synthetic(MIN_BLOCKS, 500), replicates=50).method == "interval"
    with pytest.raises(ValueError, match="unknown bootstrap method"):
        percentile_ci(synthetic(2, 10), method="jackknife")


def test_replicates_follow_the_same_rule_as_the_interval() -> None:
    long_run, short_run = synthetic(20, 2_000), synthetic(3, 2_000)
    for ic in (long_run, short_run):
        ci = percentile_ci(ic, 0.99, replicates=300, seed=4)
        reps = replicate_quantiles(ic, 0.99, replicates=300, seed=4)
        assert len(reps) == 300
        assert (ci.low, ci.high) == tuple(np.quantile(reps, [0.025, 0.975]))


def test_ratio_of_a_run_with_a_scaled_copy_of_itself() -> None:
    ic = synthetic(20, 2_000)
    slower = IntervalCounts("e2e", ic.start_s, ic.length_s, ic.values * 3, ic.counts)
    estimate, lo, hi = ratio_ci(slower, ic, 0.99, replicates=300)
    assert estimate == pytest.approx(3.0)
    assert lo <= estimate <= hi
    same, lo_same, hi_same = ratio_ci(ic, ic, 0.99, replicates=300)
    assert same == 1.0 and lo_same < 1.0 < hi_same, "independent resamples straddle 1"
