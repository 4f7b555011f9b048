"""Passive fills: a public trade fills our resting orders through the queue model.

An order at the print price first lets the print consume its ``queue_ahead`` (the visible
qty that was ahead of it), then fills from what is left; an order priced better than the
print fills straight away. Orders are visited in price priority, then order id, then
account id; every account that filled gets one loss check afterwards, in account order.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from hotpath_asyncio.book import MarketBooks
from hotpath_asyncio.codes import BUY
from hotpath_asyncio.killswitch import KillSwitch
from hotpath_asyncio.orders import Account
from hotpath_asyncio.reports import ReportLog
from hotpath_asyncio.resting import RestingOrders, RestingSide


class TradeMatcher:
    """Applies ``TRADE`` events: last trade price, maker fills, post-fill loss checks."""

    __slots__ = ("_accounts", "_books", "_kill_switch", "_log", "_resting")

    def __init__(
        self,
        books: MarketBooks,
        resting: RestingOrders,
        accounts: list[Account],
        kill_switch: KillSwitch,
        log: ReportLog,
    ) -> None:
        self._books = books
        self._resting = resting
        self._accounts = accounts
        self._kill_switch = kill_switch
        self._log = log

    def on_trade(
        self, index: int, instrument: int, venue: int, aggressor: int, price: int, qty: int
    ) -> None:
        """A validated print of ``qty`` at ``price``; ``aggressor`` is BUY or SELL."""
        self._books.record_trade(instrument, price)
        if aggressor == BUY:
            side = self._resting.sells[instrument][venue]
            if not side.prices or side.prices[0] > price:
                return
            levels = side.prices[: bisect_right(side.prices, price)]
        else:
            side = self._resting.buys[instrument][venue]
            if not side.prices or side.prices[-1] < price:
                return
            levels = side.prices[bisect_left(side.prices, price) :]
            levels.reverse()
        filled = self._fill(index, side, levels, venue, price, qty)
        check = self._kill_switch.check
        accounts = self._accounts
        for account in sorted(filled):
            check(accounts[account], index, 0, instrument)

    def _fill(
        self,
        index: int,
        side: RestingSide,
        levels: list[int],
        venue: int,
        print_price: int,
        left: int,
    ) -> set[int]:
        """Fills along ``levels`` (eligible prices, best first); returns accounts filled."""
        accounts = self._accounts
        log = self._log
        by_price = side.by_price
        filled: set[int] = set()
        for level in levels:
            queue = by_price[level]
            at_print = level == print_price
            done = 0
            for order in queue:
                if at_print and order.queue_ahead:
                    consumed = min(order.queue_ahead, left)
                    order.queue_ahead -= consumed
                    left -= consumed
                fill = min(order.remaining, left)
                if fill:
                    log.maker_fill(index, order, fill, venue)
                    left -= fill
                    filled.add(order.account)
                    if accounts[order.account].fill_live(order, fill):
                        done += 1
                if not left:
                    break
            # Only the last order visited can be left partly filled, so the completed ones
            # are a prefix of the level.
            if done == len(queue):
                side.drop_level(level)
            elif done:
                del queue[:done]
            if not left:
                break
        return filled
