"""Interval logs (``<build>.hlog``) and percentile text (``.hgrm``) as numpy arrays.

Every interval histogram in a run's log has the same layout (1 ns – 1 h, 3 significant
digits), so the intervals of one metric stack into a matrix ``counts[interval, index]`` over
one shared value grid. That matrix is all the later analysis needs: percentiles per
interval (latency over time), the merged histogram of any subset of intervals, and the
bootstrap (which resamples its rows).

Percentiles follow the Rust ``hdrhistogram`` crate that produced ``run.json``: the value at
quantile *q* is the highest value equivalent to the first index where the running count
reaches ``max(1, ceil(q × total))``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from hdrh.histogram import HdrHistogram  # type: ignore[import-untyped]

_INTERVAL = re.compile(
    r"^(?:Tag=(?P<tag>[^,]*),)?(?P<start>[\d.]+),(?P<length>[\d.]+),(?P<max>[\d.]+),(?P<payload>\S+)$"
)
_START_TIME = re.compile(r"^#\[StartTime: (?P<s>[\d.]+)")


class IntervalLogError(ValueError):
    """An interval log that cannot be decoded."""


@dataclass(frozen=True)
class IntervalCounts:
    """The intervals of one metric: ``counts[i, j]`` = values of interval ``i`` at ``values[j]``."""

    metric: str
    start_s: np.ndarray
    """Interval start, seconds since the timed pass's ``t0``."""
    length_s: np.ndarray
    values: np.ndarray
    """Highest equivalent value (ns) of each grid index that is non-empty somewhere."""
    counts: np.ndarray

    @property
    def total(self) -> np.ndarray:
        totals: np.ndarray = self.counts.sum(axis=1)
        return totals

    def merged(self) -> np.ndarray:
        merged: np.ndarray = self.counts.sum(axis=0)
        return merged


def quantiles(values: np.ndarray, counts: np.ndarray, qs: np.ndarray | list[float]) -> np.ndarray:
    """Values at quantiles ``qs`` (0..1) of histogram(s) ``counts`` (last axis = grid).

    ``counts`` may be 1-D (one histogram) or 2-D (one row per histogram); empty histograms
    give NaN.
    """
    c = np.atleast_2d(np.asarray(counts))
    q = np.atleast_1d(np.asarray(qs, dtype=np.float64))
    cum = np.cumsum(c, axis=1)
    total = cum[:, -1:] if cum.shape[1] else np.zeros((c.shape[0], 1))
    target = np.maximum(1, np.ceil(q[None, :] * total))
    out = np.full((c.shape[0], len(q)), np.nan)
    for r in range(c.shape[0]):
        if total[r, 0] > 0:
            idx = np.searchsorted(cum[r], target[r], side="left")
            out[r] = values[np.minimum(idx, len(values) - 1)]
    result: np.ndarray = out[0] if np.ndim(counts) == 1 else out
    return result


def read_interval_log(path: Path) -> dict[str, IntervalCounts]:
    """Every metric (tag) of an ``.hlog`` file; times relative to the log's first interval."""
    rows: dict[str, list[tuple[float, float, HdrHistogram]]] = {}
    try:
        lines = path.read_text().splitlines()
    except OSError as exc:
        raise IntervalLogError(f"{path}: cannot read: {exc}") from exc
    for number, line in enumerate(lines, 1):
        if not line or line.startswith("#") or line.startswith('"'):
            continue
        m = _INTERVAL.match(line)
        if m is None:
            raise IntervalLogError(f"{path}:{number}: not an interval line: {line[:60]!r}")
        try:
            hist = HdrHistogram.decode(m.group("payload"))
        except Exception as exc:
            raise IntervalLogError(f"{path}:{number}: bad histogram payload: {exc}") from exc
        tag = m.group("tag") or ""
        rows.setdefault(tag, []).append((float(m.group("start")), float(m.group("length")), hist))
    return {tag: _stack(tag, entries) for tag, entries in rows.items()}


def _stack(tag: str, entries: list[tuple[float, float, HdrHistogram]]) -> IntervalCounts:
    first = entries[0][2]
    n = first.counts_len
    for _, _, h in entries:
        if h.counts_len != n or h.sub_bucket_count != first.sub_bucket_count:
            raise IntervalLogError(f"metric {tag!r}: interval histograms differ in layout")
    dense = np.stack([np.ctypeslib.as_array(h.counts)[:n].astype(np.int64) for _, _, h in entries])
    used = np.flatnonzero(dense.any(axis=0))
    grid = _value_grid(first, used)
    return IntervalCounts(
        metric=tag,
        start_s=np.array([e[0] for e in entries]),
        length_s=np.array([e[1] for e in entries]),
        values=grid,
        counts=dense[:, used],
    )


def _value_grid(h: HdrHistogram, indices: np.ndarray) -> np.ndarray:
    return np.array(
        [h.get_highest_equivalent_value(h.get_value_from_index(int(i))) for i in indices],
        dtype=np.int64,
    )


def start_time_epoch(path: Path) -> float | None:
    for line in path.read_text().splitlines()[:10]:
        m = _START_TIME.match(line)
        if m:
            return float(m.group("s"))
    return None


@dataclass(frozen=True)
class PercentileText:
    """One ``.hgrm`` file: the percentile distribution HdrHistogram's tools print."""

    value_ns: np.ndarray
    percentile: np.ndarray
    """0..1"""
    total_count: np.ndarray


def read_hgrm(path: Path, unit_ns: float = 1000.0) -> PercentileText:
    """Parses a ``.hgrm`` file whose values are printed in µs (``unit_ns`` ns each)."""
    values, pcts, counts = [], [], []
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) < 3 or line.lstrip().startswith(("#", "Value")):
            continue
        try:
            v, p, c = float(parts[0]), float(parts[1]), int(parts[2])
        except ValueError:
            continue
        values.append(v * unit_ns)
        pcts.append(p)
        counts.append(c)
    return PercentileText(np.array(values), np.array(pcts), np.array(counts, dtype=np.int64))
