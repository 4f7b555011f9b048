"""The sweep: an incoming order takes visible liquidity from one venue or from all (ANY).

Levels are visited in price priority (BUY: lowest ask first; SELL: highest bid first),
ties by lowest venue id. Each level yields a taker fill of ``min(remaining, level qty)`` and
is reduced locally until the venue's next delta overwrites it.
"""

from __future__ import annotations

from hotpath_asyncio.book import BookSide, MarketBooks
from hotpath_asyncio.codes import BUY, VENUE_ANY
from hotpath_asyncio.orders import Account, Order
from hotpath_asyncio.reports import ReportLog


class Router:
    """Sweeps the public book copies for a new (or replacing) order."""

    __slots__ = ("_books", "_log")

    def __init__(self, books: MarketBooks, log: ReportLog) -> None:
        self._books = books
        self._log = log

    def sweep(self, index: int, order: Order, account: Account, venue: int) -> bool:
        """Fills ``order`` against ``venue`` (or every venue for ANY); True if it filled."""
        instrument = order.instrument
        if order.side == BUY:
            sides = self._books.asks[instrument]
            if venue == VENUE_ANY:
                filled = self._buy_any(index, order, account, sides)
            else:
                filled = self._buy_at(index, order, account, sides[venue], venue)
        else:
            sides = self._books.bids[instrument]
            if venue == VENUE_ANY:
                filled = self._sell_any(index, order, account, sides)
            else:
                filled = self._sell_at(index, order, account, sides[venue], venue)
        if filled:
            self._books.mark_changed(instrument)
        return filled

    def _buy_at(
        self, index: int, order: Order, account: Account, asks: BookSide, venue: int
    ) -> bool:
        prices = asks.prices
        limit = order.price
        filled = False
        while prices and prices[0] <= limit:
            price = prices[0]
            take = min(order.remaining, asks.qty[price])
            self._take(index, order, account, asks, price, take, venue)
            filled = True
            if not order.remaining:
                break
        return filled

    def _sell_at(
        self, index: int, order: Order, account: Account, bids: BookSide, venue: int
    ) -> bool:
        prices = bids.prices
        limit = order.price
        filled = False
        while prices and prices[-1] >= limit:
            price = prices[-1]
            take = min(order.remaining, bids.qty[price])
            self._take(index, order, account, bids, price, take, venue)
            filled = True
            if not order.remaining:
                break
        return filled

    def _buy_any(self, index: int, order: Order, account: Account, sides: list[BookSide]) -> bool:
        limit = order.price
        filled = False
        while True:
            best_venue = -1
            best = limit + 1
            for venue, asks in enumerate(sides):
                prices = asks.prices
                if prices and prices[0] < best:
                    best = prices[0]
                    best_venue = venue
            if best_venue < 0:
                return filled
            asks = sides[best_venue]
            take = min(order.remaining, asks.qty[best])
            self._take(index, order, account, asks, best, take, best_venue)
            filled = True
            if not order.remaining:
                return filled

    def _sell_any(self, index: int, order: Order, account: Account, sides: list[BookSide]) -> bool:
        limit = order.price
        filled = False
        while True:
            best_venue = -1
            best = limit - 1
            for venue, bids in enumerate(sides):
                prices = bids.prices
                if prices and prices[-1] > best:
                    best = prices[-1]
                    best_venue = venue
            if best_venue < 0:
                return filled
            bids = sides[best_venue]
            take = min(order.remaining, bids.qty[best])
            self._take(index, order, account, bids, best, take, best_venue)
            filled = True
            if not order.remaining:
                return filled

    def _take(
        self,
        index: int,
        order: Order,
        account: Account,
        level_side: BookSide,
        price: int,
        take: int,
        venue: int,
    ) -> None:
        self._log.taker_fill(index, order, price, take, venue)
        account.fill(order.instrument, order.side, price, take, venue)
        order.remaining -= take
        level_side.take(price, take)
