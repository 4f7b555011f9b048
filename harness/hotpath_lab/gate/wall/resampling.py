"""The interval of a percentile's change between two sides, by bootstrap.

Two ways to resample one side (``SideSamples``):

- ``intervals`` — the lab's interval (block) bootstrap (``reporting.bootstrap``) over the
  stacked one-second intervals of all the side's processes, as if they were one long run;
- ``two-level`` — first the processes, with replacement, then, within each drawn process,
  its seconds, with replacement (the hierarchical bootstrap). A process has effects of its
  own that its seconds share — where the allocator put things, which core it ran on, what
  else ran beside it — and only resampling processes puts that variance in the interval;
- ``paired`` — two-level, but the i-th baseline and the i-th candidate process (which ran
  next to each other) are drawn together, so what the machine did during that pair
  (another job's build, a noisy neighbour) is shared by both sides of the ratio.

Which one the tier uses was decided by measurement (docs/gate-wall.md): on clean A-vs-A
comparisons the one-level interval missed the change more often than its confidence allows.
The change interval is the percentile interval of the replicate ratios (candidate ÷
baseline − 1), the two sides resampled independently, as ``reporting.bootstrap.change_cis``;
when processes are resampled, it is then stretched for their small number
(``small_sample``: 4 pairs are 4 units, not the thousands of seconds they hold).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from hotpath_lab.gate.wall.samples import SideSamples
from hotpath_lab.gate.wall.small_sample import expand, expansion
from hotpath_lab.reporting.bootstrap import percentile_interval, replicate_matrix
from hotpath_lab.reporting.hlog import quantiles

METHODS = ("paired", "two-level", "intervals")
BATCH = 200


@dataclass(frozen=True)
class Change:
    """Percentile ``q`` on both sides (ns) and the relative change with its interval."""

    q: float
    baseline: float
    candidate: float
    change: float
    low: float
    high: float


def two_level_replicates(
    s: SideSamples, qs: Sequence[float], procs: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Percentiles ``qs`` of two-level resamplings of ``s``, one per row of ``procs`` (the
    processes each replicate draws): shape ``(len(procs), len(qs))``."""
    k = s.processes
    starts = np.array([np.searchsorted(s.process, p) for p in range(k)])
    sizes = np.bincount(s.process, minlength=k)
    longest = int(sizes.max())
    n = s.counts.shape[0]
    reps = np.empty((len(procs), len(qs)))
    for lo in range(0, len(procs), BATCH):
        batch = procs[lo : lo + BATCH]
        b = len(batch)
        weights = np.zeros((b, n), dtype=np.int64)
        rows = np.repeat(np.arange(b), longest).reshape(b, longest)
        for j in range(batch.shape[1]):
            p = batch[:, j]
            # each drawn process contributes as many of its own seconds as it has
            picks = starts[p][:, None] + (rng.random((b, longest)) * sizes[p][:, None]).astype(
                np.int64
            )
            used = np.arange(longest)[None, :] < sizes[p][:, None]
            np.add.at(weights, (rows[used], picks[used]), 1)
        reps[lo : lo + b] = quantiles(s.values, weights @ s.counts, qs)
    return reps


def side_replicates(
    baseline: SideSamples,
    candidate: SideSamples,
    qs: Sequence[float],
    method: str,
    replicates: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Replicates of both sides (baseline seed 2, candidate seed 1, as ``change_cis``)."""
    if method == "intervals":
        return tuple(  # type: ignore[return-value]
            replicate_matrix(s.as_interval_counts(), qs, method="interval",
                             replicates=replicates, seed=seed)
            for s, seed in ((baseline, 2), (candidate, 1))
        )  # fmt: skip
    if method not in METHODS:
        raise ValueError(f"unknown resampling {method!r}: one of {', '.join(METHODS)}")
    rng_a, rng_b = np.random.default_rng(2), np.random.default_rng(1)
    procs_a = rng_a.integers(0, baseline.processes, size=(replicates, baseline.processes))
    if method == "paired" and baseline.processes == candidate.processes:
        procs_b = procs_a  # the i-th process of each side ran side by side: draw them together
    else:
        procs_b = rng_b.integers(0, candidate.processes, size=(replicates, candidate.processes))
    return (
        two_level_replicates(baseline, qs, procs_a, rng_a),
        two_level_replicates(candidate, qs, procs_b, rng_b),
    )


def changes(
    baseline: SideSamples,
    candidate: SideSamples,
    qs: Sequence[float],
    *,
    method: str = "paired",
    replicates: int = 1000,
    confidence: float = 0.95,
) -> list[Change]:
    """One ``Change`` per quantile; each side resampled once for all of them (baseline with
    seed 2, candidate with seed 1, as the lab's ``change_cis``). With processes resampled
    the interval is the expanded one: fewer than 2 processes a side leave it unbounded."""
    reps_a, reps_b = side_replicates(baseline, candidate, qs, method, replicates)
    units = min(baseline.processes, candidate.processes)
    stretch = 1.0 if method == "intervals" else expansion(units, confidence)
    point_a = quantiles(baseline.values, baseline.counts.sum(axis=0), qs)
    point_b = quantiles(candidate.values, candidate.counts.sum(axis=0), qs)
    out = []
    for j, q in enumerate(qs):
        with np.errstate(divide="ignore", invalid="ignore"):
            lo, hi = percentile_interval(reps_b[:, j] / reps_a[:, j], confidence)
        a, b = float(point_a[j]), float(point_b[j])
        change = b / a - 1 if a else np.nan
        lo, hi = expand(change, lo - 1, hi - 1, stretch)
        out.append(Change(q, a, b, change, lo, hi))
    return out
