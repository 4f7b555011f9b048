"""Bootstrap confidence intervals for latency percentiles, from histograms alone.

A run keeps histograms, not raw samples, so the bootstrap resamples histograms:

- **interval (block) bootstrap** — the run's one-second interval histograms are the
  blocks. A replicate draws as many intervals as the run has, with replacement, and merges
  them. Latencies inside one second are strongly correlated (a burst, a GC pause, a
  queue), and resampling whole seconds keeps that correlation, so the interval honestly
  reflects how much the percentile depends on *which* seconds the run happened to have.
  It needs enough intervals to mean anything (``MIN_BLOCKS``).
- **histogram (multinomial) bootstrap** — the merged histogram is treated as the empirical
  distribution; a replicate draws the same number of values from it
  (``multinomial(N, counts / N)``), which is the ordinary i.i.d. bootstrap on the
  recorded values at the histogram's 3-digit resolution. It ignores correlation, so its
  interval is narrower than the truth for bursty runs; it is the fallback for short runs.

Both report the percentile interval of the replicates (2.5 % and 97.5 % quantiles for
95 % confidence) around the point estimate from the full histogram.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from hotpath_lab.reporting.hlog import IntervalCounts, quantiles

MIN_BLOCKS = 10
"""Fewer intervals than this: ``auto`` falls back to the histogram bootstrap."""
BATCH = 200


@dataclass(frozen=True)
class BootstrapCI:
    quantile: float
    estimate: float
    low: float
    high: float
    method: str
    replicates: int
    blocks: int
    samples: int
    confidence: float


def percentile_interval(replicate_values: np.ndarray, confidence: float) -> tuple[float, float]:
    """The central ``confidence`` interval of the finite replicates (NaN, NaN if none)."""
    finite = replicate_values[np.isfinite(replicate_values)]
    if len(finite) == 0:
        return np.nan, np.nan
    alpha = (1 - confidence) / 2
    lo, hi = np.quantile(finite, [alpha, 1 - alpha])
    return float(lo), float(hi)


def _block_replicates(
    ic: IntervalCounts, qs: Sequence[float], replicates: int, seed: int
) -> np.ndarray:
    """Percentiles ``qs`` of ``replicates`` resamplings of whole intervals (rows of
    ``ic.counts``), drawn with replacement: shape ``(replicates, len(qs))``."""
    rng = np.random.default_rng(seed)
    n = ic.counts.shape[0]
    reps = np.empty((replicates, len(qs)))
    done = 0
    while done < replicates:
        b = min(BATCH, replicates - done)
        picks = rng.integers(0, n, size=(b, n))
        weights = np.zeros((b, n), dtype=np.int64)
        np.add.at(weights, (np.repeat(np.arange(b), n), picks.ravel()), 1)
        merged = weights @ ic.counts
        reps[done : done + b] = quantiles(ic.values, merged, qs)
        done += b
    return reps


def _histogram_replicates(
    values: np.ndarray, counts: np.ndarray, qs: Sequence[float], replicates: int, seed: int
) -> np.ndarray:
    """Percentiles ``qs`` of ``replicates`` draws of ``N`` values from the histogram's own
    distribution (all NaN for an empty histogram): shape ``(replicates, len(qs))``."""
    total = int(counts.sum())
    if total == 0:
        return np.full((replicates, len(qs)), np.nan)
    rng = np.random.default_rng(seed)
    p = counts / total
    reps = np.empty((replicates, len(qs)))
    done = 0
    while done < replicates:
        b = min(BATCH, replicates - done)
        draws = rng.multinomial(total, p, size=b)
        reps[done : done + b] = quantiles(values, draws, qs)
        done += b
    return reps


def block_bootstrap(
    ic: IntervalCounts,
    q: float = 0.99,
    *,
    replicates: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> BootstrapCI:
    """Resamples whole intervals (rows of ``ic.counts``) with replacement."""
    reps = _block_replicates(ic, [q], replicates, seed)[:, 0]
    return _ci(ic, q, reps, "interval", confidence)


def histogram_bootstrap(
    values: np.ndarray,
    counts: np.ndarray,
    q: float = 0.99,
    *,
    replicates: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> BootstrapCI:
    """Draws ``N`` values from the histogram's own distribution, ``replicates`` times."""
    total = int(counts.sum())
    estimate = float(quantiles(values, counts, [q])[0])
    if total == 0:
        return BootstrapCI(q, np.nan, np.nan, np.nan, "histogram", replicates, 1, 0, confidence)
    lo, hi = percentile_interval(
        _histogram_replicates(values, counts, [q], replicates, seed)[:, 0], confidence
    )
    return BootstrapCI(q, estimate, lo, hi, "histogram", replicates, 1, total, confidence)


def _ci(
    ic: IntervalCounts, q: float, reps: np.ndarray, method: str, confidence: float
) -> BootstrapCI:
    """The interval of replicates ``reps`` of percentile ``q`` of ``ic``."""
    estimate = float(quantiles(ic.values, ic.merged(), [q])[0])
    lo, hi = percentile_interval(reps, confidence)
    blocks = ic.counts.shape[0] if method == "interval" else 1
    return BootstrapCI(
        q, estimate, lo, hi, method, len(reps), blocks, int(ic.total.sum()), confidence
    )


def _method(ic: IntervalCounts, method: str) -> str:
    """``interval`` or ``histogram``: what ``method`` (``auto`` included) means for ``ic``."""
    if method not in ("auto", "interval", "histogram"):
        raise ValueError(f"unknown bootstrap method {method!r}: auto, interval or histogram")
    if method == "auto":
        return "interval" if int(np.count_nonzero(ic.total)) >= MIN_BLOCKS else "histogram"
    return method


def percentile_ci(
    ic: IntervalCounts,
    q: float = 0.99,
    *,
    method: str = "auto",
    replicates: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> BootstrapCI:
    """``method``: ``interval``, ``histogram`` or ``auto`` (interval when there are at
    least ``MIN_BLOCKS`` non-empty intervals)."""
    if _method(ic, method) == "interval":
        return block_bootstrap(ic, q, replicates=replicates, confidence=confidence, seed=seed)
    return histogram_bootstrap(
        ic.values, ic.merged(), q, replicates=replicates, confidence=confidence, seed=seed
    )


def replicate_matrix(
    ic: IntervalCounts,
    qs: Sequence[float],
    *,
    method: str = "auto",
    replicates: int = 1000,
    seed: int = 0,
) -> np.ndarray:
    """Bootstrap replicates of several percentiles at once, by the same rule as
    ``percentile_ci``: shape ``(replicates, len(qs))``; one resampling serves every ``q``."""
    if _method(ic, method) == "interval":
        return _block_replicates(ic, qs, replicates, seed)
    return _histogram_replicates(ic.values, ic.merged(), qs, replicates, seed)


def replicate_quantiles(
    ic: IntervalCounts,
    q: float = 0.99,
    *,
    method: str = "auto",
    replicates: int = 1000,
    seed: int = 0,
) -> np.ndarray:
    """The bootstrap replicates of percentile ``q`` themselves, by the same rule as
    ``percentile_ci`` (for intervals around derived figures such as ratios)."""
    return replicate_matrix(ic, [q], method=method, replicates=replicates, seed=seed)[:, 0]


@dataclass(frozen=True)
class ChangeCI:
    """Percentile ``quantile`` in a baseline and a candidate run, each with its interval,
    and the relative change (candidate ÷ baseline − 1) with the interval of the replicate
    ratios: the two runs are resampled independently."""

    quantile: float
    baseline: BootstrapCI
    candidate: BootstrapCI
    change: float
    low: float
    high: float


def change_cis(
    baseline: IntervalCounts,
    candidate: IntervalCounts,
    qs: Sequence[float],
    *,
    replicates: int = 1000,
    confidence: float = 0.95,
) -> list[ChangeCI]:
    """One ``ChangeCI`` per quantile in ``qs``; each run is resampled once for all of them
    (candidate with seed 1, baseline with seed 2, as ``ratio_ci``)."""
    method_b, method_c = _method(baseline, "auto"), _method(candidate, "auto")
    reps_b = replicate_matrix(baseline, qs, replicates=replicates, seed=2)
    reps_c = replicate_matrix(candidate, qs, replicates=replicates, seed=1)
    out = []
    for j, q in enumerate(qs):
        b = _ci(baseline, q, reps_b[:, j], method_b, confidence)
        c = _ci(candidate, q, reps_c[:, j], method_c, confidence)
        with np.errstate(divide="ignore", invalid="ignore"):
            lo, hi = percentile_interval(reps_c[:, j] / reps_b[:, j], confidence)
            change = c.estimate / b.estimate - 1 if b.estimate else np.nan
        out.append(ChangeCI(q, b, c, float(change), lo - 1, hi - 1))
    return out


def ratio_ci(
    numerator: IntervalCounts,
    denominator: IntervalCounts,
    q: float = 0.99,
    *,
    replicates: int = 1000,
    confidence: float = 0.95,
) -> tuple[float, float, float]:
    """``(estimate, low, high)`` of percentile ``q`` of one run over another's, both
    resampled independently (seeds 1 and 2)."""
    (c,) = change_cis(denominator, numerator, [q], replicates=replicates, confidence=confidence)
    return c.change + 1, c.low + 1, c.high + 1
