"""Our side of the replay race: the lab's importer, then the rust-native build's replay.

The capture is imported as ``hotpath scenario import`` imports it (``import_binance``, the
bookTicker only checked, as hftbacktest's converter leaves it out), then replayed twice by
the rust-native build (the engine of ``hotpath-core`` in the lab's Rust loop, GIL released):
the market data alone, and with the ``binance`` manifest's order flow laid over it.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from hotpath_format import EventKind, ScenarioMeta, Side, write_events
from hotpath_lab.scenarios.binance import ImportResult, import_binance

ORDER_FLOW_MANIFEST = "binance"
BOOK, TRADE = int(EventKind.BOOK_DELTA), int(EventKind.TRADE)
BUY, SELL = int(Side.BUY), int(Side.SELL)


@dataclass(frozen=True, slots=True)
class OurImport:
    """The imported capture, with and without the order flow, and what each step took."""

    market: ImportResult
    with_orders: np.ndarray
    meta_json: str
    orders_meta_json: str
    import_s: float
    write_s: float
    overlay_s: float
    overlay_stats: dict[str, Any]


@dataclass(frozen=True, slots=True)
class OurReplay:
    """One loop's timed passes over its records (the median is the figure)."""

    events: int
    market_events: int
    order_events: int
    replay_s: tuple[float, ...]
    reports: int

    @property
    def median_s(self) -> float:
        return statistics.median(self.replay_s)


def import_capture(view: Path, out_dir: Path, *, seed: int = 1) -> OurImport:
    """Imports ``view`` and writes both scenario files into ``out_dir`` (each step timed)."""
    from hotpath_lab.scenarios.generate import overlay

    started = time.perf_counter()
    market = import_binance(view, book_ticker="check")
    import_s = time.perf_counter() - started
    started = time.perf_counter()
    market.write(out_dir / "market.hpe")
    write_s = time.perf_counter() - started
    started = time.perf_counter()
    records, stats = overlay(market.records, market.metadata, ORDER_FLOW_MANIFEST, seed=seed)
    overlay_s = time.perf_counter() - started
    meta = {
        **market.metadata,
        "source": {
            **market.metadata["source"],
            "order_flow": {"manifest": ORDER_FLOW_MANIFEST, "seed": seed, "stats": stats},
        },
    }
    write_events(out_dir / "orders.hpe", meta, records)
    return OurImport(
        market=market,
        with_orders=records,
        meta_json=ScenarioMeta.from_dict(market.metadata).to_json(),
        orders_meta_json=ScenarioMeta.from_dict(meta).to_json(),
        import_s=import_s,
        write_s=write_s,
        overlay_s=overlay_s,
        overlay_stats=stats,
    )


def replay_native(meta_json: str, records: np.ndarray, *, repeat: int) -> OurReplay:
    """``repeat`` timed passes of the rust-native build over ``records``, each through a
    fresh engine, after one untimed pass (page faults, allocator and caches warm)."""
    import hotpath_toolkit

    if repeat < 1:
        raise ValueError(f"repeat must be at least 1, got {repeat}")
    reports = hotpath_toolkit.replay(meta_json, records)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        again = hotpath_toolkit.replay(meta_json, records)
        times.append(time.perf_counter() - started)
        if len(again) != len(reports):
            raise RuntimeError("the rust-native replay is not deterministic on this capture")
    kinds = records["kind"]
    market = int(np.count_nonzero((kinds == BOOK) | (kinds == TRADE)))
    return OurReplay(
        events=len(records),
        market_events=market,
        order_events=len(records) - market,
        replay_s=tuple(times),
        reports=len(reports),
    )


def final_tops(records: np.ndarray) -> dict[tuple[int, int], tuple[int | None, int | None]]:
    """Best bid and ask (price units) per (venue, instrument) after every BOOK_DELTA."""
    books: dict[tuple[int, int, int], dict[int, int]] = {}
    deltas = records[records["kind"] == BOOK]
    for venue, instrument, side, price, qty in zip(
        deltas["venue"].tolist(),
        deltas["instrument"].tolist(),
        deltas["side"].tolist(),
        deltas["price"].tolist(),
        deltas["qty"].tolist(),
        strict=True,
    ):
        levels = books.setdefault((venue, instrument, side), {})
        if qty:
            levels[price] = qty
        else:
            levels.pop(price, None)
    out: dict[tuple[int, int], tuple[int | None, int | None]] = {}
    for venue, instrument, _ in books:
        bids = books.get((venue, instrument, BUY), {})
        asks = books.get((venue, instrument, SELL), {})
        out[(venue, instrument)] = (max(bids, default=None), min(asks, default=None))
    return out
