"""What is in a scenario file: counts, time span, instruments, venues, message rates."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from hotpath_format import EventFile, EventKind, OrderType, file_digest

_NS = 1_000_000_000
_MARKET_KINDS = (EventKind.BOOK_DELTA, EventKind.TRADE)


@dataclass
class ScenarioSummary:
    path: str
    name: str
    digest: str
    size_bytes: int
    events: int
    counts_by_kind: dict[str, int]
    market_data_events: int
    order_requests: int
    orders_by_type: dict[str, int]
    first_ts: int
    last_ts: int
    duration_s: float
    instruments: list[dict[str, Any]]
    venues: list[str]
    accounts: list[str]
    span_seconds: int
    """Whole seconds from the first event's to the last event's (both included)."""
    busy_seconds: list[int] = field(repr=False)
    """The seconds (from the first event) that hold events, ascending; the others hold none.
    Listed sparsely: a file's last timestamp may lie centuries after its first."""
    rate_per_second: list[int] = field(repr=False)
    """Events in each of ``busy_seconds`` (the burst shows here)."""
    median_rate: float
    quiet_rate: float
    """10th percentile of the per-second rates: the calm baseline."""
    peak_rate: int
    peak_second: int
    peak_to_median: float
    peak_to_quiet: float
    peak_100ms_rate: int
    """The busiest 100 ms window, as events per second: how sharp the bursts are."""
    source: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def rates(self) -> Rates:
        """Events per second, as ``summarize`` counted them."""
        return Rates(
            np.asarray(self.busy_seconds, np.int64),
            np.asarray(self.rate_per_second, np.int64),
            self.span_seconds,
        )


def summarize(f: EventFile, *, digest: str | None = None) -> ScenarioSummary:
    r = f.records
    kinds = np.bincount(r["kind"], minlength=6) if len(r) else np.zeros(6, np.int64)
    counts = {k.name: int(kinds[k]) for k in EventKind}
    is_new = r["kind"] == EventKind.NEW_ORDER
    types = np.bincount(r["order_type"][is_new], minlength=4) if is_new.any() else np.zeros(4)
    by_type = {t.name: int(types[t]) for t in OrderType}
    by_type["OTHER"] = int(is_new.sum()) - sum(by_type.values())
    market = int(sum(counts[k.name] for k in _MARKET_KINDS))
    first = int(r["ts"][0]) if len(r) else 0
    last = int(r["ts"][-1]) if len(r) else 0
    rates = Rates.of(r["ts"], first)
    median = rates.percentile(50)
    quiet = rates.percentile(10)
    peak_fine = Rates.of(r["ts"], first, bin_ns=_NS // 10).peak() * 10
    peak = rates.peak()
    peak_idx = int(rates.bins[int(np.argmax(rates.counts))]) if peak else 0
    meta = f.meta
    return ScenarioSummary(
        path=str(f.path),
        name=meta.name,
        digest=digest if digest is not None else file_digest(f.path),
        size_bytes=f.path.stat().st_size,
        events=len(r),
        counts_by_kind=counts,
        market_data_events=market,
        order_requests=len(r) - market,
        orders_by_type=by_type,
        first_ts=first,
        last_ts=last,
        duration_s=(last - first) / _NS,
        instruments=[
            {"id": i.id, "symbol": i.symbol, "tick_size": i.tick_size, "lot_size": i.lot_size}
            for i in meta.instruments
        ],
        venues=[v.name for v in meta.venues],
        accounts=[a.name for a in meta.accounts],
        span_seconds=rates.span,
        busy_seconds=[int(x) for x in rates.bins],
        rate_per_second=[int(x) for x in rates.counts],
        median_rate=median,
        peak_rate=peak,
        peak_second=peak_idx,
        peak_to_median=peak / median if median > 0 else 0.0,
        quiet_rate=quiet,
        peak_to_quiet=peak / quiet if quiet > 0 else 0.0,
        peak_100ms_rate=peak_fine,
        source=dict(meta.raw.get("source", {})),
    )


@dataclass(frozen=True)
class Rates:
    """Events per bin of time from the first event, held sparsely: only the bins that hold
    events, so a file whose timestamps span centuries costs no more than its events (a dense
    array over the span would not fit in memory). The bins without events count as zeros."""

    bins: np.ndarray
    """Indexes of the bins that hold events, ascending (int64)."""
    counts: np.ndarray
    """Events in each of ``bins``."""
    span: int
    """Bins from the first event's to the last event's, both included (0 without events)."""

    @classmethod
    def of(cls, ts: np.ndarray, first: int, bin_ns: int = _NS) -> Rates:
        """``ts`` non-decreasing (as every file the reader accepts)."""
        if len(ts) == 0:
            return cls(np.zeros(0, np.int64), np.zeros(0, np.int64), 0)
        bins = ((ts - np.uint64(first)) // np.uint64(bin_ns)).astype(np.int64)
        starts = np.flatnonzero(np.diff(bins, prepend=np.int64(-1)))
        counts = np.diff(np.append(starts, len(bins)))
        return cls(bins[starts], counts, int(bins[-1]) + 1)

    def peak(self) -> int:
        return int(self.counts.max()) if len(self.counts) else 0

    def percentile(self, q: float) -> float:
        """``np.percentile`` (linear) of the per-bin counts, the empty bins included."""
        if self.span == 0:
            return 0.0
        zeros = self.span - len(self.counts)
        ordered = np.sort(self.counts)

        def at(i: int) -> float:
            return 0.0 if i < zeros else float(ordered[i - zeros])

        position = q / 100 * (self.span - 1)
        lo = int(position)
        hi = min(lo + 1, self.span - 1)
        t = position - lo
        a, b = at(lo), at(hi)
        return a + (b - a) * t


def sparkline(rates: Rates, width: int = 60) -> str:
    """The series squeezed into ``width`` columns of block characters (max per column;
    the columns as ``np.array_split`` cuts the dense series)."""
    if rates.span == 0:
        return ""
    blocks = "▁▂▃▄▅▆▇█"
    columns = min(width, rates.span)
    size, longer = divmod(rates.span, columns)  # the first ``longer`` columns hold size + 1
    boundary = longer * (size + 1)
    b = rates.bins
    col = np.where(b < boundary, b // (size + 1), longer + (b - boundary) // size)
    peaks = np.zeros(columns)
    np.maximum.at(peaks, col, rates.counts.astype(np.float64))
    top = peaks.max() or 1.0
    return "".join(
        blocks[min(len(blocks) - 1, int(p / top * (len(blocks) - 1) + 0.5))] for p in peaks
    )
