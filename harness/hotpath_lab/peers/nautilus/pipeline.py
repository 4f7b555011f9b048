"""The scenario's events through NautilusTrader's order path, one event per call.

Market data goes to the simulated venue of its venue (its matching engine's book) and to its
DataEngine, as its backtest loop hands data over. Each order request becomes one of its
commands, sent the way a strategy sends them: NEW → its ``OrderFactory`` then
``Strategy.submit_order`` (→ RiskEngine → ExecutionEngine → venue client → simulated
venue), CANCEL → ``cancel_order``, REPLACE → ``modify_order``. The venue matches each command
as it arrives, so every event it causes — submitted, accepted, denied, rejected, filled,
cancelled, updated — reaches the account's strategy before the call returns.

Stage stamps (``perf_counter_ns``, the lab's clock; docs/peers.md): *validated* when the
command is built and about to be sent, *risked* when its path has handed it on (the strategy
sees ``OrderSubmitted``, ``OrderPendingUpdate`` or ``OrderPendingCancel``, or ``OrderDenied``
from its RiskEngine), *executed* when the venue's first answer is back (accepted, rejected,
filled — its market orders fill without being accepted —, updated, cancelled, or a
modify/cancel rejected).

The reports are its events translated into our report records, so the lab can count them;
they are its outcomes, not our contract's, and are never compared with our builds'.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from time import perf_counter_ns as _perf
from typing import Any

import numpy as np
from nautilus_trader.model.data import BookOrder, OrderBookDelta, TradeTick
from nautilus_trader.model.enums import (
    AggressorSide,
    BookAction,
    LiquiditySide,
    OrderSide,
    TimeInForce,
)
from nautilus_trader.model.identifiers import ClientOrderId, InstrumentId, Symbol, TradeId, Venue
from nautilus_trader.model.objects import FIXED_PRECISION, Price, Quantity

from hotpath_format import (
    REPORT_DTYPE,
    CancelReason,
    EventKind,
    Liquidity,
    ReportKind,
    ScenarioMeta,
    Side,
    Stage,
)
from hotpath_lab.peers.nautilus.desk import Desk
from hotpath_lab.peers.nautilus.system import ANY_VENUE, Listing, NautilusSystem, venue_name

VENUE_REJECT = 0
"""``stage`` of a REJECT the venue (or its execution path after the RiskEngine) decided."""

ITS_SIDE = {int(Side.BUY): OrderSide.BUY, int(Side.SELL): OrderSide.SELL}
AGGRESSOR = {int(Side.BUY): AggressorSide.BUYER, int(Side.SELL): AggressorSide.SELLER}
LIQUIDITY = {LiquiditySide.MAKER: Liquidity.MAKER, LiquiditySide.TAKER: Liquidity.TAKER}
UNKNOWN_ACCOUNT_DESK = 0xFFFF
"""The strategy that sends requests of accounts the scenario does not list: its path has no
account registry to refuse them with (docs/peers.md)."""


class OrderRecord:
    """What the adapter knows of one of its orders, to translate its events back."""

    __slots__ = ("account", "instrument", "our_id", "price_scale", "qty_scale", "side", "venue")

    def __init__(
        self, account: int, our_id: int, instrument: int, venue: int, side: int, listing: Listing
    ) -> None:
        self.account = account
        self.our_id = our_id
        self.instrument = instrument
        self.venue = venue
        self.side = side
        self.price_scale = listing.price_scale
        self.qty_scale = listing.qty_scale


class NautilusPipeline:
    """One pass's NautilusTrader system, fed by the lab's Python driver (``asynchronous``
    False: the driver calls ``handle`` and stamps around it)."""

    asynchronous = False

    def __init__(self, meta: ScenarioMeta, n_events: int, stage_timing: bool, start_ns: int):
        self._reports: list[tuple[Any, ...]] = []
        self._stamps = (
            tuple(array("Q", bytes(8 * n_events)) for _ in range(3)) if stage_timing else None
        )
        self._index = 0
        self._request = False
        self._answer: str | None = None
        """The first answer its path gave to the request being sent (an event name)."""
        self._cancel_ref = 0
        self._records: dict[Any, OrderRecord] = {}
        self._live: dict[tuple[int, int], Any] = {}
        """(account, our id) → its order, for CANCEL and REPLACE (a REPLACE's new id too)."""
        accounts = [a.id for a in meta.accounts] + [UNKNOWN_ACCOUNT_DESK]
        self._desks = {a: Desk(a, self) for a in accounts}
        self._system = NautilusSystem(meta, self._desks, start_ns)
        self._listings = self._system.listings
        self._exchanges = self._system.exchanges
        self._data_engine = self._system.kernel.data_engine
        self._handlers: dict[int, Callable[..., None]] = {
            EventKind.BOOK_DELTA: self._book_delta,
            EventKind.TRADE: self._trade,
            EventKind.NEW_ORDER: self._new_order,
            EventKind.CANCEL: self._cancel,
            EventKind.REPLACE: self._replace,
        }
        self.handle = self._handle

    # -- the driver's side ------------------------------------------------------------------

    def _handle(
        self,
        index: int,
        ts: int,
        id: int,
        orig_id: int,
        price: int,
        qty: int,
        instrument: int,
        account: int,
        kind: int,
        side: int,
        order_type: int,
        venue: int,
    ) -> None:
        self._index = index
        self._system.set_time(ts)
        handler = self._handlers.get(kind)
        if handler is not None:
            handler(ts, id, orig_id, price, qty, instrument, account, side, order_type, venue)

    def report_array(self) -> np.ndarray:
        out = np.zeros(len(self._reports), REPORT_DTYPE)
        if self._reports:
            columns = list(zip(*self._reports, strict=True))
            for name, column in zip(REPORT_COLUMNS, columns, strict=True):
                out[name] = column
        return out

    def stage_times(self) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        if self._stamps is None:
            return None
        v, r, e = (np.frombuffer(a, np.uint64) for a in self._stamps)
        return v, r, e

    # -- market data ------------------------------------------------------------------------

    def _book_delta(self, ts: int, _id: int, _o: int, price: int, qty: int, instrument: int,
                    _a: int, side: int, _t: int, venue: int) -> None:  # fmt: skip
        listing = self._listings.get((instrument, venue))
        if listing is None or side not in ITS_SIDE or price <= 0 or qty < 0:
            return  # nothing it could be told (our rule ignores these too)
        action = BookAction.DELETE if qty == 0 else BookAction.UPDATE
        order = BookOrder(
            ITS_SIDE[side],
            Price.from_raw(price * listing.price_scale, listing.price_precision),
            Quantity.from_raw(qty * listing.qty_scale, listing.qty_precision),
            0,
        )
        delta = OrderBookDelta(listing.instrument_id, action, order, 0, 0, ts, ts)
        self._exchanges[venue].process_order_book_delta(delta)
        self._data_engine.process(delta)

    def _trade(self, ts: int, _id: int, _o: int, price: int, qty: int, instrument: int,
               _a: int, side: int, _t: int, venue: int) -> None:  # fmt: skip
        listing = self._listings.get((instrument, venue))
        if listing is None or side not in AGGRESSOR or price <= 0 or qty <= 0:
            return
        tick = TradeTick(
            listing.instrument_id,
            Price.from_raw(price * listing.price_scale, listing.price_precision),
            Quantity.from_raw(qty * listing.qty_scale, listing.qty_precision),
            AGGRESSOR[side],
            TradeId(str(self._index)),
            ts,
            ts,
        )
        self._exchanges[venue].process_trade_tick(tick)
        self._data_engine.process(tick)

    # -- order requests ---------------------------------------------------------------------

    def _new_order(self, ts: int, id: int, _o: int, price: int, qty: int, instrument: int,
                   account: int, side: int, order_type: int, venue: int) -> None:  # fmt: skip
        desk = self._desk(account, ts)
        routed = self._system.default_venue if venue == ANY_VENUE else venue
        listing = self._listings.get((instrument, routed)) or _unlisted(instrument, routed)
        try:
            order = self._build_order(desk, listing, id, price, qty, side, order_type)
        except (
            ValueError,
            TypeError,
            KeyError,
            OverflowError,
        ) as exc:  # its constructors refused it
            self._refuse(id, instrument, account, venue, side, exc)
            return
        self._records[order.client_order_id] = OrderRecord(
            account, id, instrument, routed, side, listing
        )
        self._send(lambda: desk.submit_order(order))
        if order.is_open:
            self._live[(account, id)] = order

    def _build_order(self, desk: Desk, listing: Listing, id: int, price: int, qty: int,
                     side: int, order_type: int) -> Any:  # fmt: skip
        its_side = ITS_SIDE[side]  # KeyError: a side it has no order for
        quantity = Quantity.from_raw(qty * listing.qty_scale, listing.qty_precision)
        client_order_id = ClientOrderId(f"A{desk.account}-{id}")
        if order_type == 3:  # MARKET: its market order, immediate-or-cancel like ours
            return desk.order_factory.market(
                listing.instrument_id, its_side, quantity, time_in_force=TimeInForce.IOC,
                client_order_id=client_order_id,
            )  # fmt: skip
        if order_type not in (1, 2):
            raise ValueError(f"order type {order_type} has no counterpart")
        return desk.order_factory.limit(
            listing.instrument_id, its_side, quantity,
            Price.from_raw(price * listing.price_scale, listing.price_precision),
            time_in_force=TimeInForce.IOC if order_type == 2 else TimeInForce.GTC,
            client_order_id=client_order_id,
        )  # fmt: skip

    def _cancel(self, ts: int, id: int, orig_id: int, _p: int, _q: int, instrument: int,
                account: int, _s: int, _t: int, _v: int) -> None:  # fmt: skip
        order = self._live.get((account, orig_id))
        if order is None:
            self._refuse(id, instrument, account, 0, 0, "no order of its with that id")
            return
        desk = self._desk(account, ts)
        self._cancel_ref = id
        self._send(lambda: desk.cancel_order(order))
        self._cancel_ref = 0
        if self._answer is None:  # its strategy sent nothing (the order is closed or pending)
            self._refuse(id, instrument, account, 0, 0, "its strategy sent no cancel")
        if order.is_closed:
            self._live.pop((account, orig_id), None)

    def _replace(self, ts: int, id: int, orig_id: int, price: int, qty: int, instrument: int,
                 account: int, _s: int, _t: int, _v: int) -> None:  # fmt: skip
        order = self._live.get((account, orig_id))
        if order is None:
            self._refuse(id, instrument, account, 0, 0, "no order of its with that id")
            return
        record = self._records[order.client_order_id]
        desk = self._desk(account, ts)
        try:
            quantity = Quantity.from_raw(qty * record.qty_scale, order.quantity.precision)
            new_price = Price.from_raw(price * record.price_scale, order.price.precision)
        except (ValueError, TypeError, OverflowError) as exc:
            self._refuse(id, instrument, account, 0, 0, exc)
            return
        # its modify keeps the order's identity; our REPLACE gives it a new id, which its
        # answer (REPLACED or REJECT) carries
        old_id = record.our_id
        record.our_id = id
        self._send(lambda: desk.modify_order(order, quantity, new_price))
        if self._answer == "updated":
            self._live.pop((account, orig_id), None)
            if not order.is_closed:
                self._live[(account, id)] = order
            return
        record.our_id = old_id
        if self._answer is None:
            self._refuse(id, instrument, account, 0, 0, "its strategy sent no modify")

    def _send(self, command: Callable[[], None]) -> None:
        self._request = True
        self._answer = None
        self._stamp(0)
        try:
            command()
        finally:
            self._request = False

    def _desk(self, account: int, ts: int) -> Desk:
        desk = self._desks.get(account) or self._desks[UNKNOWN_ACCOUNT_DESK]
        desk.clock.set_time(ts)  # its strategies keep a clock of their own
        return desk

    def _refuse(self, id: int, instrument: int, account: int, venue: int, side: int,
                why: object) -> None:  # fmt: skip
        """A request the adapter could not put to its path (or its strategy did not send):
        a REJECT at stage VALIDATION with no reason of ours, and no stamps (``why`` is kept
        only for debugging)."""
        del why
        if self._stamps is not None:
            self._stamps[0][self._index] = 0
        self._append(ReportKind.REJECT, id, 0, 0, 0, instrument, account, Stage.VALIDATION,
                     0, venue, 0, side)  # fmt: skip

    # -- its events, from the account's strategy (``Desk``) ---------------------------------

    def on_event(self, name: str, event: Any) -> None:
        record = self._records.get(event.client_order_id)
        if record is None:
            return
        stamp_risked, stamp_executed = STAMPS.get(name, (False, False))
        if self._request:
            if stamp_risked:
                self._stamp(1)
            if stamp_executed and self._answer is None:
                self._answer = name
                self._stamp(2)
        translate = TRANSLATIONS.get(name)
        if translate is not None:
            translate(self, record, event)

    def _stamp(self, stage: int) -> None:
        if self._stamps is not None:
            stamps = self._stamps[stage]
            if stamps[self._index] == 0:
                stamps[self._index] = _perf()

    def _append(self, kind: int, order_id: int, ref_id: int, price: int, qty: int,
                instrument: int, account: int, stage: int, reason: int, venue: int,
                liquidity: int, side: int) -> None:  # fmt: skip
        self._reports.append((
            len(self._reports) + 1, self._index, order_id, ref_id, price, qty, instrument,
            account, kind, stage, reason, venue, liquidity, side,
        ))  # fmt: skip

    def _report(self, record: OrderRecord, kind: int, price: int = 0, qty: int = 0,
                *, stage: int = 0, reason: int = 0, liquidity: int = 0,
                ref_id: int = 0) -> None:  # fmt: skip
        self._append(kind, record.our_id, ref_id, price, qty, record.instrument,
                     record.account, stage, reason, record.venue, liquidity,
                     record.side)  # fmt: skip

    def _accepted(self, record: OrderRecord, event: Any) -> None:
        order = self._system.kernel.cache.order(event.client_order_id)
        price = order.price.raw // record.price_scale if order.has_price else 0
        self._report(record, ReportKind.ACK, price, order.quantity.raw // record.qty_scale)

    def _denied(self, record: OrderRecord, event: Any) -> None:
        self._report(record, ReportKind.REJECT, stage=Stage.RISK)

    def _rejected(self, record: OrderRecord, event: Any) -> None:
        self._report(record, ReportKind.REJECT, stage=VENUE_REJECT)

    def _filled(self, record: OrderRecord, event: Any) -> None:
        self._report(
            record, ReportKind.FILL, event.last_px.raw // record.price_scale,
            event.last_qty.raw // record.qty_scale,
            liquidity=LIQUIDITY.get(event.liquidity_side, 0),
        )  # fmt: skip

    def _cancelled(self, record: OrderRecord, event: Any) -> None:
        order = self._system.kernel.cache.order(event.client_order_id)
        reason = CancelReason.REQUESTED if self._cancel_ref else CancelReason.UNFILLED
        self._report(record, ReportKind.CANCELLED, 0, order.leaves_qty.raw // record.qty_scale,
                     reason=reason, ref_id=self._cancel_ref)  # fmt: skip

    def _updated(self, record: OrderRecord, event: Any) -> None:
        self._report(
            record, ReportKind.REPLACED, event.price.raw // record.price_scale,
            event.quantity.raw // record.qty_scale,
        )  # fmt: skip


def _unlisted(instrument: int, venue: int) -> Listing:
    """An instrument id its cache does not hold (an instrument or venue the scenario does
    not list): the order is sent, and its RiskEngine decides."""
    scale = 10**FIXED_PRECISION
    instrument_id = InstrumentId(Symbol(f"UNLISTED-{instrument}"), Venue(venue_name(venue)))
    return Listing(instrument_id, scale, scale, 0, 0)


REPORT_COLUMNS = (
    "seq", "event_index", "order_id", "ref_id", "price", "qty", "instrument", "account",
    "kind", "stage", "reason", "venue", "liquidity", "side",
)  # fmt: skip

STAMPS: dict[str, tuple[bool, bool]] = {
    # (its path handed the command on / the venue answered)
    "submitted": (True, False),
    "pending_update": (True, False),
    "pending_cancel": (True, False),
    "denied": (True, True),
    "accepted": (False, True),
    "filled": (False, True),  # its market orders fill without being accepted first
    "rejected": (False, True),
    "updated": (False, True),
    "canceled": (False, True),
    "modify_rejected": (False, True),
    "cancel_rejected": (False, True),
}

TRANSLATIONS: dict[str, Callable[[NautilusPipeline, OrderRecord, Any], None]] = {
    "accepted": NautilusPipeline._accepted,
    "denied": NautilusPipeline._denied,
    "rejected": NautilusPipeline._rejected,
    "modify_rejected": NautilusPipeline._rejected,
    "cancel_rejected": NautilusPipeline._rejected,
    "filled": NautilusPipeline._filled,
    "canceled": NautilusPipeline._cancelled,
    "expired": NautilusPipeline._cancelled,
    "updated": NautilusPipeline._updated,
}
