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

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from hdrh.histogram import HdrHistogram  # type: ignore[import-untyped]
from hdrh.log import HistogramLogReader  # type: ignore[import-untyped]

LOWEST_NS, HIGHEST_NS, SIGNIFICANT_DIGITS = 1, 3_600_000_000_000, 3
"""The layout of every histogram the lab records (``hotpath-bench``'s recorder)."""


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


def quantiles(
    values: np.ndarray, counts: np.ndarray, qs: np.ndarray | Sequence[float]
) -> np.ndarray:
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
    """Every metric (tag) of an ``.hlog`` file; times in seconds since the log's start time
    (the timed pass's ``t0``).

    Read with ``hdrh``'s own ``HistogramLogReader``: no measured reason to keep a parser of
    our own. On the ``.hlog`` of a 90-second ``calm`` run (``--builds python --no-throughput
    --no-overhead``: 540 intervals, 457 kB), 15 reads each on the 2-core dev VM, the reader
    took 0.155 s (fastest; median 0.195 s) and the regex parser it replaced 0.158 s (fastest;
    median 0.22–0.29 s), with identical arrays; decoding the payloads is 0.094 s of either.
    The reader skips lines it cannot parse without a word, so the intervals it returned are
    counted against the file's interval lines: a damaged log is an error, not a shorter run.
    """
    rows: dict[str, list[tuple[float, float, HdrHistogram]]] = {}
    try:
        reader = HistogramLogReader(
            str(path), HdrHistogram(LOWEST_NS, HIGHEST_NS, SIGNIFICANT_DIGITS)
        )
    except OSError as exc:
        raise IntervalLogError(f"{path}: cannot read: {exc}") from exc
    read = 0
    try:
        while True:
            try:
                hist = reader.get_next_interval_histogram()
            except Exception as exc:  # hdrh raises zlib, base64 and its own errors alike
                raise IntervalLogError(
                    f"{path}: interval {read + 1}: bad histogram payload: {exc}"
                ) from exc
            if hist is None:
                break
            read += 1
            # stamps are absolute ms (start time + offset): back to seconds since the start,
            # at the log's own resolution (µs) so float noise does not move interval edges
            start = round(hist.get_start_time_stamp() / 1e3 - reader.get_start_time_sec(), 6)
            length = round((hist.get_end_time_stamp() - hist.get_start_time_stamp()) / 1e3, 6)
            rows.setdefault(hist.get_tag() or "", []).append((start, length, hist))
    except UnicodeDecodeError as exc:
        raise IntervalLogError(f"{path}: not a text file: {exc}") from exc
    finally:
        reader.close()
    expected = _interval_lines(path)
    if read != expected:
        raise IntervalLogError(
            f"{path}: {expected - read} of {expected} lines are not interval lines "
            "(Tag=<metric>,<start>,<length>,<max>,<payload>)"
        )
    return {tag: _stack(tag, entries) for tag, entries in rows.items()}


def _interval_lines(path: Path) -> int:
    """Lines that are neither comments, the legend nor blank: each must be an interval."""
    with path.open(encoding="utf-8") as f:
        return sum(1 for line in f if line.strip() and not line.startswith(("#", '"')))


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
