"""The loss check and the kill switch it trips: HALT, then cancel everything live.

The check runs at the start of every NEW/REPLACE risk stage and once after all fills one
input event caused; an account that trips stays halted for the session.
"""

from __future__ import annotations

from hotpath_asyncio.book import MarketBooks
from hotpath_asyncio.codes import CXL_KILL_SWITCH
from hotpath_asyncio.orders import CANCELLED, Account
from hotpath_asyncio.reports import ReportLog
from hotpath_asyncio.resting import RestingOrders


class KillSwitch:
    """Values accounts at the reference prices and halts those past their loss limit."""

    __slots__ = ("_books", "_log", "_resting")

    def __init__(self, books: MarketBooks, resting: RestingOrders, log: ReportLog) -> None:
        self._books = books
        self._resting = resting
        self._log = log

    def check(self, account: Account, index: int, request_id: int, instrument: int) -> bool:
        """Trips the switch if the account is not halted and PnL < −max_loss.

        ``request_id`` is the request being handled (0 after a trade); ``instrument`` is the
        event's. Returns True when this call tripped it.
        """
        if account.halted:
            return False
        marked, _ = mark_to_market(account, self._books)
        if account.cash + marked >= -account.max_loss:
            return False
        self.trip(account, index, request_id, instrument)
        return True

    def trip(self, account: Account, index: int, request_id: int, instrument: int) -> None:
        """Halts the account for the session: HALT, then cancel every live order by id."""
        account.halted = True
        log = self._log
        log.halt(index, request_id, instrument, account.id)
        live = account.live
        remove = self._resting.remove
        for order_id in sorted(live):
            order = live[order_id]
            remove(order)
            log.cancelled(index, order, CXL_KILL_SWITCH, 0, order.venue)
            account.remove_live(order, CANCELLED)


def mark_to_market(account: Account, books: MarketBooks) -> tuple[int, int]:
    """(Σ position × reference, Σ |position × reference|) over the account's instruments.

    PnL is ``cash`` plus the first; the second is the gross exposure of the positions. An
    instrument without a reference price contributes nothing to either.
    """
    marked = 0
    gross = 0
    reference = books.reference
    for instrument, position in enumerate(account.position):
        if position:
            ref = reference(instrument)
            if ref is not None:
                value = position * ref
                marked += value
                gross += abs(value)
    return marked, gross
