"""Stage 3: execution of accepted NEW, CANCEL and REPLACE requests.

NEW: ACK, sweep, loss check if it filled, then the remainder is cancelled (IOC, or LIMIT
after a kill-switch trip) or rests with a queue position. REPLACE: REPLACED, the original
stops resting, and the replacement runs as a NEW LIMIT at the original's venue from the
sweep on. CANCEL: the order stops resting.
"""

from __future__ import annotations

from hotpath_asyncio.book import MarketBooks
from hotpath_asyncio.codes import (
    CXL_KILL_SWITCH,
    CXL_REQUESTED,
    CXL_UNFILLED,
    LIMIT,
    VENUE_ANY,
)
from hotpath_asyncio.killswitch import KillSwitch
from hotpath_asyncio.orders import CANCELLED, FILLED, REPLACED, Account, Order
from hotpath_asyncio.reports import ReportLog
from hotpath_asyncio.resting import RestingOrders
from hotpath_asyncio.router import Router


class Execution:
    """Turns accepted requests into fills, resting orders and cancels."""

    __slots__ = ("_books", "_kill_switch", "_log", "_resting", "_router")

    def __init__(
        self,
        books: MarketBooks,
        resting: RestingOrders,
        router: Router,
        kill_switch: KillSwitch,
        log: ReportLog,
    ) -> None:
        self._books = books
        self._resting = resting
        self._router = router
        self._kill_switch = kill_switch
        self._log = log

    def new_order(
        self,
        index: int,
        request_id: int,
        account: Account,
        instrument: int,
        side: int,
        order_type: int,
        price: int,
        qty: int,
        venue: int,
    ) -> None:
        """An accepted NEW; ``price`` is the limit (a MARKET order's collar price)."""
        order = Order(request_id, account.id, instrument, side, order_type, price, qty, venue)
        account.orders[request_id] = order
        self._log.ack(index, order)
        self._work(index, order, account, order_type == LIMIT)

    def cancel(self, index: int, request_id: int, account: Account, orig_id: int) -> None:
        """An accepted CANCEL of the live order ``orig_id``."""
        order = account.live[orig_id]
        self._resting.remove(order)
        self._log.cancelled(index, order, CXL_REQUESTED, request_id, order.venue)
        account.remove_live(order, CANCELLED)

    def replace(
        self, index: int, request_id: int, account: Account, orig_id: int, price: int, qty: int
    ) -> None:
        """An accepted REPLACE: a new LIMIT order at the original's side and venue."""
        orig = account.live[orig_id]
        self._resting.remove(orig)
        account.remove_live(orig, REPLACED)
        orig.replaced_by = request_id
        order = Order(
            request_id, account.id, orig.instrument, orig.side, LIMIT, price, qty, orig.venue
        )
        account.orders[request_id] = order
        self._log.replaced(index, order, orig_id)
        self._work(index, order, account, True)

    def _work(self, index: int, order: Order, account: Account, rests: bool) -> None:
        """Sweep, post-sweep loss check, then the remainder (``rests``: a LIMIT order)."""
        venue = order.requested_venue
        tripped = False
        if self._router.sweep(index, order, account, venue):
            tripped = self._kill_switch.check(account, index, order.id, order.instrument)
        if not order.remaining:
            order.status = FILLED
            return
        if not rests:
            self._log.cancelled(index, order, CXL_UNFILLED, 0, venue)
            order.status = CANCELLED
            return
        if tripped:
            self._log.cancelled(index, order, CXL_KILL_SWITCH, 0, venue)
            order.status = CANCELLED
            return
        books = self._books
        if venue == VENUE_ANY:
            venue = books.best_venue(order.instrument, order.side)
        order.venue = venue
        order.queue_ahead = books.side(order.instrument, venue, order.side).qty.get(order.price, 0)
        account.add_live(order)
        self._resting.add(order)
