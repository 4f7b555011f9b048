"""The Python build's parts that, in the ``hybrid-risk`` build, report to the Rust risk desk.

The desk owns the risk ledger (positions, cash, open quantities and notional, open-order
count, throttle window, kill-switch flag) and a copy of the books for reference prices. The
Python service keeps everything else: its books for routing, resting orders, ids, the
report stream. Each part below replaces one of the Python build's by the same interface, so
the Python engine runs unchanged around them; each change of an order's open quantity or
position is one call into Rust.
"""

from __future__ import annotations

from hotpath_rs import RiskDesk

from hotpath_asyncio.book import MarketBooks
from hotpath_asyncio.codes import TRADING_HALTED
from hotpath_asyncio.killswitch import KillSwitch
from hotpath_asyncio.orders import FILLED, LIVE, Account, Order
from hotpath_asyncio.reports import ReportLog
from hotpath_asyncio.resting import RestingOrders
from hotpath_asyncio.risk import PreTradeRisk
from hotpath_format import AccountMeta, ScenarioMeta


class DeskAccount(Account):
    """An account whose risk numbers live in the desk: Python keeps its orders (live, ids,
    records) and tells the desk when an order starts resting, stops, or fills (a taker fill
    also takes from the desk's copy of the level).
    The inherited position, cash and open fields stay at zero: nothing reads them here."""

    __slots__ = ("_desk",)

    def __init__(self, meta: AccountMeta, n_instruments: int, desk: RiskDesk) -> None:
        super().__init__(meta, n_instruments)
        self._desk = desk

    def add_live(self, order: Order) -> None:
        self.live[order.id] = order
        order.status = LIVE
        self._desk.open(self.id, order.instrument, order.side, order.price, order.remaining)

    def remove_live(self, order: Order, status: int) -> None:
        del self.live[order.id]
        order.status = status
        self._desk.release(self.id, order.instrument, order.side, order.price, order.remaining)

    def fill(self, instrument: int, side: int, price: int, qty: int, venue: int) -> None:
        # the desk moves the position and takes the same qty from its copy of the level
        self._desk.taker_fill(self.id, instrument, venue, side, price, qty)

    def fill_live(self, order: Order, qty: int) -> bool:
        remaining = order.remaining - qty
        order.remaining = remaining
        self._desk.maker_fill(
            self.id, order.instrument, order.side, order.price, qty, remaining == 0
        )
        if remaining:
            return False
        del self.live[order.id]
        order.status = FILLED
        return True


class DeskLossCheck(KillSwitch):
    """The loss check after fills asks the desk; the trip itself (HALT, then cancelling the
    account's orders, each released in the desk) stays with the orders, in Python."""

    __slots__ = ("_desk",)

    def __init__(
        self, books: MarketBooks, resting: RestingOrders, log: ReportLog, desk: RiskDesk
    ) -> None:
        super().__init__(books, resting, log)
        self._desk = desk

    def check(self, account: Account, index: int, request_id: int, instrument: int) -> bool:
        if not self._desk.loss_check(account.id):
            return False
        self.trip(account, index, request_id, instrument)
        return True


class DeskRisk(PreTradeRisk):
    """Pre-trade risk answered by the desk: one call per NEW/REPLACE."""

    __slots__ = ("_check",)

    def __init__(
        self, meta: ScenarioMeta, books: MarketBooks, kill_switch: KillSwitch, desk: RiskDesk
    ) -> None:
        super().__init__(meta, books, kill_switch)
        self._check = desk.check

    def check(
        self,
        index: int,
        ts: int,
        request_id: int,
        account: Account,
        instrument: int,
        side: int,
        price: int,
        qty: int,
        new_limit: bool,
        replacing: Order | None,
    ) -> int:
        if replacing is None:
            reason = self._check(account.id, instrument, side, price, qty, ts, new_limit, 0, 0)
        else:
            reason = self._check(
                account.id, instrument, side, price, qty, ts, new_limit,
                replacing.remaining, replacing.price,
            )  # fmt: skip
        if reason < 0:  # the desk's loss check tripped the kill switch: HALT, mass cancel
            self._kill_switch.trip(account, index, request_id, instrument)
            return TRADING_HALTED
        return reason
