"""Each side's interval histograms, stacked over its processes onto one value grid.

Every process writes one ``<build>.hlog`` with one histogram per second per metric. A side's
samples of one metric are all those intervals, of all its processes, as rows of one matrix
(``counts[interval, value]``), with the process each row came from, so the bootstrap can
resample seconds across processes — or processes, then seconds within them. Baseline and
candidate share one grid (the union of the values either recorded; every histogram of the
lab has the same HDR layout, so equal values are the same bucket).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from hotpath_lab.reporting.hlog import IntervalCounts, read_interval_log

METRICS = ("e2e", "service", "validation", "risk", "execution")
"""The gated figures: end-to-end and service time of order requests, and each stage."""


class SamplesError(ValueError):
    """A run folder without what the tier reads; the message names the file."""


@dataclass(frozen=True)
class SideSamples:
    """One metric of one build on one side."""

    metric: str
    values: np.ndarray
    """The shared value grid (ns)."""
    counts: np.ndarray
    """``counts[interval, j]``: intervals of every process of the side, stacked."""
    process: np.ndarray
    """``process[interval]``: which process (0..``processes``-1) the row came from."""
    processes: int

    @property
    def samples(self) -> int:
        return int(self.counts.sum())

    def as_interval_counts(self) -> IntervalCounts:
        """The stacked intervals in the lab's own type (for ``reporting.bootstrap``)."""
        n = self.counts.shape[0]
        return IntervalCounts(
            self.metric, np.arange(n, dtype=float), np.ones(n), self.values, self.counts
        )


@dataclass(frozen=True)
class ProcessFacts:
    """What one process says about the machine while it ran (``run.json``)."""

    stolen_share: float | None
    gap_p50_ns: float | None
    """The median length of the interruptions the probe saw."""
    digest: str


def process_facts(folder: Path, build: str) -> ProcessFacts:
    """Noise floor and digest of ``build`` in the run folder (read from raw ``run.json``, so
    a baseline written by another version of the lab reads the same)."""
    result = _build_result(folder, build)
    jitter = result.get("jitter") or {}
    return ProcessFacts(
        jitter.get("stolen_share"), jitter.get("p50_ns"), str(result.get("digest", ""))
    )


def _build_result(folder: Path, build: str) -> dict:  # type: ignore[type-arg]
    path = folder / "run.json"
    try:
        builds = json.loads(path.read_text())["builds"]
    except (OSError, ValueError, KeyError) as exc:
        raise SamplesError(f"{path}: cannot read its builds: {exc}") from exc
    if build not in builds:
        raise SamplesError(f"{path}: no build {build!r} (has {', '.join(builds)})")
    result: dict = builds[build]  # type: ignore[type-arg]
    return result


def _interval_log(folder: Path, build: str) -> dict[str, IntervalCounts]:
    name = (_build_result(folder, build).get("files") or {}).get("hlog") or f"{build}.hlog"
    path = folder / name
    if not path.is_file():
        raise SamplesError(f"{path}: missing: the tier needs every process's interval log")
    return read_interval_log(path)


def load_sides(
    baseline: Sequence[Path],
    candidate: Sequence[Path],
    build: str,
    candidate_build: str | None = None,
) -> dict[str, tuple[SideSamples, SideSamples]]:
    """``{metric: (baseline, candidate)}`` for every metric of ``METRICS`` both sides have;
    the candidate's rows are ``candidate_build`` when given (two rows of the same runs, as
    a build with the drop-copy off and on), else ``build``."""
    logs_a = [_interval_log(f, build) for f in baseline]
    logs_b = [_interval_log(f, candidate_build or build) for f in candidate]
    out = {}
    for metric in METRICS:
        ics_a = [log[metric] for log in logs_a if metric in log]
        ics_b = [log[metric] for log in logs_b if metric in log]
        if len(ics_a) != len(logs_a) or len(ics_b) != len(logs_b):
            continue
        grid = np.union1d(
            np.concatenate([ic.values for ic in ics_a]), np.concatenate([ic.values for ic in ics_b])
        )
        out[metric] = (_stack(metric, ics_a, grid), _stack(metric, ics_b, grid))
    return out


def _stack(metric: str, ics: Sequence[IntervalCounts], grid: np.ndarray) -> SideSamples:
    rows, owner = [], []
    for p, ic in enumerate(ics):
        dense = np.zeros((ic.counts.shape[0], len(grid)), dtype=np.int64)
        dense[:, np.searchsorted(grid, ic.values)] = ic.counts
        keep = dense.sum(axis=1) > 0  # empty seconds (the pass's idle tail) carry nothing
        rows.append(dense[keep])
        owner.append(np.full(int(keep.sum()), p))
    return SideSamples(metric, grid, np.concatenate(rows), np.concatenate(owner), len(ics))


def clock_tick_ns(sides: dict[str, tuple[SideSamples, SideSamples]]) -> float:
    """The clock's step, read off the values the runs recorded: on a clock that advances
    in steps of ~10 ns (this VM), short spans cluster at 29/30/31, 40/41, 49/50/51 ns…;
    the step is the median distance between neighbouring clusters (values more than
    ``CLUSTER_GAP_NS`` apart) among the lowest ``TICK_VALUES`` recorded values. NaN when
    there are too few values to tell; 1 ns on a clock with no visible step."""
    values = np.unique(
        np.concatenate(
            [s.values[s.counts.sum(axis=0) > 0] for pair in sides.values() for s in pair]
        )
        if sides
        else np.zeros(0)
    )[:TICK_VALUES]
    if len(values) < 3:
        return float("nan")
    starts = values[np.concatenate([[True], np.diff(values) > CLUSTER_GAP_NS])]
    if len(starts) < 3:
        return 1.0
    return float(np.median(np.diff(starts)))


TICK_VALUES = 60
"""Lowest distinct values looked at: HDR buckets are 1 ns wide there, so steps show."""
CLUSTER_GAP_NS = 2
"""Values closer than this belong to one clock step (the ns conversion rounds ±1)."""
