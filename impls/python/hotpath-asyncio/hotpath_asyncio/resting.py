"""Where our live orders rest: per venue × instrument × side, by price, in fill priority.

A trade fills resting orders in price priority, then order id, then account id; book
deltas cap the ``queue_ahead`` of our orders at one price. Both need our orders grouped by
price in that order, which this index keeps up to date as orders start and stop resting.
"""

from __future__ import annotations

from bisect import bisect_left, insort

from hotpath_asyncio.codes import BUY
from hotpath_asyncio.orders import Order


def _priority(order: Order) -> int:
    return order.priority


class RestingSide:
    """Our live orders on one side of one venue's book for one instrument."""

    __slots__ = ("by_price", "prices")

    def __init__(self) -> None:
        self.prices: list[int] = []
        """Prices with at least one of our orders, ascending."""
        self.by_price: dict[int, list[Order]] = {}
        """Orders at each price, ascending by (order id, account id)."""

    def add(self, order: Order) -> None:
        price = order.price
        queue = self.by_price.get(price)
        if queue is None:
            self.by_price[price] = [order]
            insort(self.prices, price)
        elif queue[-1].priority < order.priority:
            queue.append(order)
        else:
            insort(queue, order, key=_priority)

    def remove(self, order: Order) -> None:
        price = order.price
        queue = self.by_price[price]
        if len(queue) == 1:
            del self.by_price[price]
            prices = self.prices
            del prices[bisect_left(prices, price)]
        else:
            queue.remove(order)

    def drop_level(self, price: int) -> None:
        """Forgets a price whose orders have all stopped resting."""
        del self.by_price[price]
        prices = self.prices
        del prices[bisect_left(prices, price)]


class RestingOrders:
    """All of our live orders, indexed for trades and book deltas."""

    __slots__ = ("buys", "sells")

    def __init__(self, n_instruments: int, n_venues: int) -> None:
        self.buys: list[list[RestingSide]] = [
            [RestingSide() for _ in range(n_venues)] for _ in range(n_instruments)
        ]
        """``buys[instrument][venue]``."""
        self.sells: list[list[RestingSide]] = [
            [RestingSide() for _ in range(n_venues)] for _ in range(n_instruments)
        ]
        """``sells[instrument][venue]``."""

    def side(self, instrument: int, venue: int, side: int) -> RestingSide:
        return (self.buys if side == BUY else self.sells)[instrument][venue]

    def add(self, order: Order) -> None:
        (self.buys if order.side == BUY else self.sells)[order.instrument][order.venue].add(order)

    def remove(self, order: Order) -> None:
        side = self.buys if order.side == BUY else self.sells
        side[order.instrument][order.venue].remove(order)

    def cap_queue(self, instrument: int, venue: int, side: int, price: int, qty: int) -> None:
        """A book delta left ``qty`` visible at our price: no more than that is ahead of us."""
        queue = (self.buys if side == BUY else self.sells)[instrument][venue].by_price.get(price)
        if queue:
            for order in queue:
                if order.queue_ahead > qty:
                    order.queue_ahead = qty
