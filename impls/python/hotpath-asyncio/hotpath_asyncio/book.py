"""Public L2 book copies per venue × instrument, and the consolidated reference price.

Each book side keeps its prices in an ascending list (maintained with ``bisect``) next to a
``dict`` of price → aggregate visible qty: the dict answers "how much at this price" in
O(1), the list gives the best price and price-priority walks without sorting per event.
Our own orders never enter these copies (``docs/pipeline.md``, market data).
"""

from __future__ import annotations

from bisect import bisect_left, insort

from hotpath_asyncio.codes import BUY

_STALE = -1
"""Cache marker: the reference price must be recomputed (real references are ≥ 1)."""


class BookSide:
    """One side of one venue's book for one instrument."""

    __slots__ = ("prices", "qty")

    def __init__(self) -> None:
        self.prices: list[int] = []
        """Prices with visible qty, ascending (best bid is last, best ask is first)."""
        self.qty: dict[int, int] = {}

    def set_level(self, price: int, qty: int) -> None:
        """Sets a level's aggregate qty; 0 removes it (removing an absent level is a no-op)."""
        levels = self.qty
        if qty == 0:
            if price in levels:
                del levels[price]
                prices = self.prices
                del prices[bisect_left(prices, price)]
        else:
            if price not in levels:
                insort(self.prices, price)
            levels[price] = qty

    def take(self, price: int, qty: int) -> None:
        """Reduces a level by what one of our sweeps took; the level goes at 0."""
        left = self.qty[price] - qty
        if left:
            self.qty[price] = left
        else:
            self.set_level(price, 0)


class MarketBooks:
    """Every venue's book for every instrument, plus last trade and reference prices."""

    __slots__ = ("_reference", "asks", "bids", "last_trade", "n_venues")

    def __init__(self, n_instruments: int, n_venues: int) -> None:
        self.n_venues = n_venues
        self.bids: list[list[BookSide]] = [
            [BookSide() for _ in range(n_venues)] for _ in range(n_instruments)
        ]
        """``bids[instrument][venue]``."""
        self.asks: list[list[BookSide]] = [
            [BookSide() for _ in range(n_venues)] for _ in range(n_instruments)
        ]
        """``asks[instrument][venue]``."""
        self.last_trade: list[int | None] = [None] * n_instruments
        # The reference is read by every order request but the books change far more often
        # than that, so it is computed lazily and cached until the instrument's books or
        # last trade change.
        self._reference: list[int | None] = [None] * n_instruments

    def side(self, instrument: int, venue: int, side: int) -> BookSide:
        """The bid (``side`` BUY) or ask (SELL) side of one venue's book."""
        return (self.bids if side == BUY else self.asks)[instrument][venue]

    def apply_delta(self, instrument: int, venue: int, side: int, price: int, qty: int) -> None:
        """A ``BOOK_DELTA``: sets one level's visible qty."""
        (self.bids if side == BUY else self.asks)[instrument][venue].set_level(price, qty)
        self._reference[instrument] = _STALE

    def record_trade(self, instrument: int, price: int) -> None:
        """A ``TRADE`` print becomes the instrument's last trade price."""
        self.last_trade[instrument] = price
        self._reference[instrument] = _STALE

    def mark_changed(self, instrument: int) -> None:
        """Call after changing an instrument's levels directly (a sweep taking liquidity)."""
        self._reference[instrument] = _STALE

    def reference(self, instrument: int) -> int | None:
        """Mid of the consolidated best bid and ask (even if crossed), else the last trade."""
        ref = self._reference[instrument]
        if ref != _STALE:
            return ref
        bid = -1
        for book in self.bids[instrument]:
            prices = book.prices
            if prices and prices[-1] > bid:
                bid = prices[-1]
        ask = -1
        for book in self.asks[instrument]:
            prices = book.prices
            if prices and (ask < 0 or prices[0] < ask):
                ask = prices[0]
        ref = (bid + ask) // 2 if bid > 0 and ask > 0 else self.last_trade[instrument]
        self._reference[instrument] = ref
        return ref

    def best_venue(self, instrument: int, side: int) -> int:
        """Venue with the best ``side`` price (ties: lowest id), or 0 when no venue has one.

        This is where a LIMIT order routed to ANY rests after its sweep.
        """
        best_venue = 0
        if side == BUY:
            best = -1
            for venue, book in enumerate(self.bids[instrument]):
                prices = book.prices
                if prices and prices[-1] > best:
                    best = prices[-1]
                    best_venue = venue
        else:
            best = -1
            for venue, book in enumerate(self.asks[instrument]):
                prices = book.prices
                if prices and (best < 0 or prices[0] < best):
                    best = prices[0]
                    best_venue = venue
        return best_venue
