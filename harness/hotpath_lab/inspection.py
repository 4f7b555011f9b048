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
    rate_per_second: list[int] = field(repr=False)
    """Events in each whole second from the first event (the burst shows here)."""
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
    rates = _rate_per_second(r["ts"], first)
    median = float(np.median(rates)) if len(rates) else 0.0
    quiet = float(np.percentile(rates, 10)) if len(rates) else 0.0
    fine = _rate_per_second(r["ts"], first, bin_ns=_NS // 10)
    peak_fine = int(fine.max()) * 10 if len(fine) else 0
    peak_idx = int(np.argmax(rates)) if len(rates) else 0
    peak = int(rates[peak_idx]) if len(rates) else 0
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
        rate_per_second=[int(x) for x in rates],
        median_rate=median,
        peak_rate=peak,
        peak_second=peak_idx,
        peak_to_median=peak / median if median > 0 else 0.0,
        quiet_rate=quiet,
        peak_to_quiet=peak / quiet if quiet > 0 else 0.0,
        peak_100ms_rate=peak_fine,
        source=dict(meta.raw.get("source", {})),
    )


def _rate_per_second(ts: np.ndarray, first: int, bin_ns: int = _NS) -> np.ndarray:
    """Events per bin of ``bin_ns`` from the first event (default: per second)."""
    if len(ts) == 0:
        return np.zeros(0, np.int64)
    bins = ((ts - np.uint64(first)) // np.uint64(bin_ns)).astype(np.int64)
    return np.bincount(bins)


def sparkline(values: list[int], width: int = 60) -> str:
    """The series squeezed into ``width`` columns of block characters (max per column)."""
    if not values:
        return ""
    blocks = "▁▂▃▄▅▆▇█"
    arr = np.asarray(values, dtype=np.float64)
    cols = np.array_split(arr, min(width, len(arr)))
    peaks = np.array([c.max() for c in cols])
    top = peaks.max() or 1.0
    return "".join(
        blocks[min(len(blocks) - 1, int(p / top * (len(blocks) - 1) + 0.5))] for p in peaks
    )
