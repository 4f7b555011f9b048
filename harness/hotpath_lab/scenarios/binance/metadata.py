"""The scenario metadata (``docs/formats.md`` schema 1) of an imported Binance capture."""

from __future__ import annotations

from typing import Any

from hotpath_format import ScenarioMeta
from hotpath_lab.scenarios.binance.markets import (
    ASSETS,
    PRICE_DECIMALS,
    PRICE_SCALE,
    QTY_DECIMALS,
    QTY_SCALE,
    VENUES,
)
from hotpath_lab.scenarios.binance.stats import ImportStats

USD = PRICE_SCALE * QTY_SCALE
"""One USD of notional, cash or PnL (price units × quantity units)."""
SECOND_NS = 1_000_000_000


def _account(
    name: str, *, order_usd: int, gross_usd: int, positions: tuple[int, ...], rate: int,
    open_orders: int, loss_usd: int,
) -> dict[str, Any]:  # fmt: skip
    return {
        "name": name,
        "limits": {
            "max_order_notional": order_usd * USD,
            "max_gross_notional": gross_usd * USD,
            "max_position": list(positions),
            "rate_limit_count": rate,
            "rate_limit_window_ns": SECOND_NS,
            "max_open_orders": open_orders,
            "max_loss": loss_usd * USD,
        },
    }


# Sized for these books (top levels of a few BTC / tens of ETH, ~100 trades a second over
# six venues × instruments): a market maker quoting both sides on every venue and requoting
# on most book changes, and a smaller aggressive account for taker flow.
ACCOUNTS = (
    _account("mm-1", order_usd=250_000, gross_usd=5_000_000,
             positions=(10 * QTY_SCALE, 200 * QTY_SCALE), rate=200, open_orders=120,
             loss_usd=100_000),
    _account("taker-1", order_usd=100_000, gross_usd=1_000_000,
             positions=(5 * QTY_SCALE, 100 * QTY_SCALE), rate=20, open_orders=10,
             loss_usd=50_000),
)  # fmt: skip


def build_metadata(
    captures: str, stats: ImportStats, ignored: tuple[str, ...], book_ticker: str
) -> dict[str, Any]:
    """Schema-1 metadata; ``source`` records the files, their digests and counters, and the
    files of books that never synchronised (``unsynced``)."""
    files = [
        {
            "path": f.path,
            "sha256": f.sha256,
            "venue": f.venue,
            "instrument": f.instrument,
            "lines": f.lines,
            "counts": f.counters(),
        }
        for f in stats.files
    ]
    meta: dict[str, Any] = {
        "schema": 1,
        "name": f"binance-{captures}" if not captures.startswith("binance") else captures,
        "description": (
            "Binance spot, USD-M and COIN-M books and trades for BTC and ETH, rebuilt from "
            "recorded WebSocket captures (market data only)"
        ),
        "source": {
            "kind": "binance",
            "captures": captures,
            "files": files,
            "ignored": list(ignored),
            "counts": stats.totals(),
            "unsynced": [f.path for f in stats.unsynced()],
            "book_ticker": book_ticker,
            "ts": "local receive time, ns since the Unix epoch",
            "units": {"price": "0.01 USD", "qty": "1e-8 base asset"},
        },
        "instruments": [
            {
                "id": a.id,
                "symbol": a.symbol,
                "tick_size": 1,
                "lot_size": a.lot_size,
                "max_order_qty": a.max_order_qty,
                "max_price": a.max_price,
                "band_bps": a.band_bps,
                "price_decimals": PRICE_DECIMALS,
                "qty_decimals": QTY_DECIMALS,
            }
            for a in ASSETS
        ],
        "venues": [{"id": v.id, "name": v.name} for v in VENUES],
        "accounts": [{"id": i, **a} for i, a in enumerate(ACCOUNTS)],
    }
    ScenarioMeta.from_dict(meta, file=f"<binance import of {captures}>")
    return meta
