"""Readable builders for tiny scenarios: metadata, event tuples, runs and report views."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from hotpath_asyncio import Engine
from hotpath_asyncio.orders import Order
from hotpath_format import EVENT_DTYPE, EventKind, OrderType, ScenarioMeta, Side

BUY = Side.BUY
SELL = Side.SELL
LIMIT = OrderType.LIMIT
IOC = OrderType.IOC
MARKET = OrderType.MARKET
ANY = 255

Event = tuple[int, int, int, int, int, int, int, int, int, int, int]
"""``EVENT_STRUCT`` field order: ts, id, orig_id, price, qty, instrument, account, kind,
side, order_type, venue."""

GENEROUS_LIMITS: dict[str, Any] = {
    "max_order_notional": 10**15,
    "max_gross_notional": 10**18,
    "max_position": None,  # filled per instrument count
    "rate_limit_count": 1000,
    "rate_limit_window_ns": 1_000_000_000,
    "max_open_orders": 1000,
    "max_loss": 10**15,
}


def instrument(**overrides: Any) -> dict[str, Any]:
    """An instrument dict with easy numbers: tick 1, lot 1, band 10%."""
    d: dict[str, Any] = {
        "symbol": "TEST",
        "tick_size": 1,
        "lot_size": 1,
        "max_order_qty": 1000,
        "max_price": 100_000,
        "band_bps": 1000,
    }
    d.update(overrides)
    return d


def make_meta(
    *,
    instruments: Sequence[dict[str, Any]] | None = None,
    n_venues: int = 3,
    accounts: Sequence[dict[str, Any]] | None = None,
    n_accounts: int = 2,
) -> ScenarioMeta:
    """Metadata for tests; ``accounts`` entries override ``GENEROUS_LIMITS`` per account."""
    instruments = list(instruments) if instruments is not None else [instrument()]
    if accounts is None:
        accounts = [{} for _ in range(n_accounts)]
    account_dicts = []
    for i, overrides in enumerate(accounts):
        limits = dict(GENEROUS_LIMITS)
        limits["max_position"] = [10**9] * len(instruments)
        limits.update(overrides)
        account_dicts.append({"id": i, "name": f"acct-{i}", "limits": limits})
    d = {
        "schema": 1,
        "name": "test",
        "instruments": [{"id": i, **x} for i, x in enumerate(instruments)],
        "venues": [{"id": i, "name": f"venue-{i}"} for i in range(n_venues)],
        "accounts": account_dicts,
    }
    return ScenarioMeta.from_dict(d)


def delta(
    side: int, price: int, qty: int, *, venue: int = 0, instrument: int = 0, ts: int = 0
) -> Event:
    return (ts, 0, 0, price, qty, instrument, 0, EventKind.BOOK_DELTA, side, 0, venue)


def trade(
    side: int, price: int, qty: int, *, venue: int = 0, instrument: int = 0, ts: int = 0
) -> Event:
    """``side`` is the aggressor's."""
    return (ts, 0, 0, price, qty, instrument, 0, EventKind.TRADE, side, 0, venue)


def new(
    request_id: int,
    side: int,
    price: int,
    qty: int,
    *,
    order_type: int = LIMIT,
    venue: int = 0,
    instrument: int = 0,
    account: int = 0,
    ts: int = 0,
    orig_id: int = 0,
) -> Event:
    return (
        ts, request_id, orig_id, price, qty, instrument, account, EventKind.NEW_ORDER, side,
        order_type, venue,
    )  # fmt: skip


def cancel(
    request_id: int,
    orig_id: int,
    *,
    instrument: int = 0,
    account: int = 0,
    ts: int = 0,
    price: int = 0,
    qty: int = 0,
    side: int = 0,
    venue: int = 0,
) -> Event:
    return (
        ts, request_id, orig_id, price, qty, instrument, account, EventKind.CANCEL, side, 0,
        venue,
    )  # fmt: skip


def replace(
    request_id: int,
    orig_id: int,
    price: int,
    qty: int,
    *,
    instrument: int = 0,
    account: int = 0,
    ts: int = 0,
    side: int = 0,
    venue: int = 0,
) -> Event:
    return (
        ts, request_id, orig_id, price, qty, instrument, account, EventKind.REPLACE, side, 0,
        venue,
    )  # fmt: skip


class Rpt(NamedTuple):
    """A report tuple with field names, for readable assertions."""

    event_index: int
    order_id: int
    ref_id: int
    price: int
    qty: int
    instrument: int
    account: int
    kind: int
    stage: int
    reason: int
    venue: int
    liquidity: int
    side: int


class Session:
    """An engine plus an event counter: ``feed`` returns the reports the events caused."""

    def __init__(self, meta: ScenarioMeta) -> None:
        self.meta = meta
        self.engine = Engine(meta)
        self.events: list[Event] = []

    def feed(self, *events: Event) -> list[Rpt]:
        before = len(self.engine.reports)
        for event in events:
            self.engine.handle(len(self.events), *event)
            self.events.append(event)
        return [Rpt(*r) for r in self.engine.reports[before:]]

    def position(self, account: int = 0, instrument: int = 0) -> int:
        return self.engine.accounts[account].position[instrument]

    def cash(self, account: int = 0) -> int:
        return self.engine.accounts[account].cash

    def live_ids(self, account: int = 0) -> list[int]:
        return sorted(self.engine.accounts[account].live)

    def order(self, order_id: int, account: int = 0) -> Order:
        return self.engine.accounts[account].orders[order_id]


def to_records(events: Sequence[Event]) -> np.ndarray:
    return np.array(list(events), dtype=EVENT_DTYPE)
