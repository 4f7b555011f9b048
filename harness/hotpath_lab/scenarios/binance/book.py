"""One venue's L2 book for one instrument, rebuilt from a depth snapshot and the diff stream.

``DepthBook`` applies Binance's synchronisation rules (spot: ``U``/``u``; futures: ``pu``),
emits a ``BOOK_DELTA`` for every level whose size actually changes, and handles the
bookTicker stream (a consistency check, and optionally a top-of-book overlay). The policy
for everything that cannot be applied is in ``docs/binance-import.md``; every case is
counted in the file's ``FileStats``.
"""

from __future__ import annotations

import heapq
from enum import Enum, auto

from hotpath_format import Side
from hotpath_lab.scenarios.binance.messages import BookTicker, DepthDiff, Level, Snapshot
from hotpath_lab.scenarios.binance.sink import BOOK_DELTA, EventSink
from hotpath_lab.scenarios.binance.stats import FileStats


class BookSide:
    """Price → size for one side, with the best price found through a lazily pruned heap."""

    __slots__ = ("_heap", "_sign", "levels")

    def __init__(self, side: Side) -> None:
        self.levels: dict[int, int] = {}
        self._heap: list[int] = []
        # Heap keys are sign × price so that the best price is always the smallest key.
        self._sign = -1 if side is Side.BUY else 1

    def set(self, price: int, qty: int) -> bool:
        """Sets one level (0 removes it); False when the size is already ``qty``."""
        levels = self.levels
        old = levels.get(price, 0)
        if old == qty:
            return False
        if qty:
            levels[price] = qty
            if not old:
                heapq.heappush(self._heap, self._sign * price)
                if len(self._heap) > 4 * len(levels) + 1024:
                    self._heap = [self._sign * p for p in levels]
                    heapq.heapify(self._heap)
        else:
            del levels[price]
        return True

    def best(self) -> Level | None:
        heap, levels, sign = self._heap, self.levels, self._sign
        while heap:
            price = sign * heap[0]
            qty = levels.get(price)
            if qty:
                return price, qty
            heapq.heappop(heap)
        return None

    def remove_better_than(self, price: int) -> list[int]:
        """Removes every level strictly better than ``price``; returns them best first."""
        heap, levels, sign = self._heap, self.levels, self._sign
        bound = sign * price
        removed: list[int] = []
        while heap and heap[0] < bound:
            p = sign * heapq.heappop(heap)
            if levels.pop(p, 0):
                removed.append(p)
        return removed

    def clear(self) -> list[int]:
        """Removes every level; returns their prices best first."""
        prices = sorted(self.levels, key=lambda p: self._sign * p)
        self.levels = {}
        self._heap = []
        return prices


class SyncState(Enum):
    AWAITING_SNAPSHOT = auto()
    """No usable snapshot: diffs are buffered until one arrives."""
    AWAITING_FIRST_DIFF = auto()
    """Snapshot applied; waiting for the diff that straddles its ``lastUpdateId``."""
    LIVE = auto()
    """Synchronised: each diff must chain onto the previous one."""


class DepthBook:
    """The synchronised book of one venue × instrument; events go to ``sink``."""

    __slots__ = (
        "_buffer",
        "_futures",
        "_last_id",
        "_overlay",
        "_pending",
        "_sink",
        "_snapshot_id",
        "_was_live",
        "asks",
        "bids",
        "state",
    )

    def __init__(self, sink: EventSink, *, futures: bool, ticker_overlay: bool) -> None:
        self._sink = sink
        self._futures = futures
        self._overlay = ticker_overlay
        self.bids = BookSide(Side.BUY)
        self.asks = BookSide(Side.SELL)
        self.state = SyncState.AWAITING_SNAPSHOT
        self._snapshot_id = 0
        self._last_id = 0
        self._was_live = False
        self._buffer: list[tuple[DepthDiff, FileStats]] = []
        self._pending: BookTicker | None = None
        """Latest bookTicker newer than the depth state, until a diff catches up with it."""

    def on_snapshot(self, snap: Snapshot, now: int, stats: FileStats) -> None:
        if self.state is SyncState.LIVE:
            stats.snapshots_ignored += 1
            return
        stats.snapshots_used += 1
        self._rebase(self.bids, Side.BUY, snap.bids, now, stats)
        self._rebase(self.asks, Side.SELL, snap.asks, now, stats)
        self._snapshot_id = snap.last_update_id
        self.state = SyncState.AWAITING_FIRST_DIFF
        # Diffs that arrived before the snapshot are applied now, at the snapshot's time.
        buffered, self._buffer = self._buffer, []
        for diff, diff_stats in buffered:
            self.on_diff(diff, now, diff_stats)

    def on_diff(self, diff: DepthDiff, now: int, stats: FileStats) -> None:
        state = self.state
        if state is SyncState.AWAITING_SNAPSHOT:
            self._buffer.append((diff, stats))
            return
        if state is SyncState.AWAITING_FIRST_DIFF:
            lid = self._snapshot_id
            if self._futures:
                if diff.final_id < lid:
                    stats.diffs_dropped_before_sync += 1
                    return
                straddles = diff.first_id <= lid
            else:
                if diff.final_id <= lid:
                    stats.diffs_dropped_before_sync += 1
                    return
                straddles = diff.first_id <= lid + 1
            if not straddles:
                # The snapshot is older than the first diff we hold: it cannot be bridged.
                stats.sync_failures += 1
                self._lose_sync(diff, now, stats)
                return
            stats.syncs += 1
            if self._was_live:
                stats.resyncs += 1
            self._was_live = True
            self.state = SyncState.LIVE
            self._apply(diff, now, stats)
            return
        if diff.final_id <= self._last_id:
            stats.diffs_dropped_stale += 1
            return
        if self._futures:
            chained = diff.prev_final_id == self._last_id
        else:
            chained = diff.first_id == self._last_id + 1
        if not chained:
            stats.gaps += 1
            self._lose_sync(diff, now, stats)
            return
        self._apply(diff, now, stats)

    def on_ticker(self, ticker: BookTicker, now: int, stats: FileStats) -> None:
        if self.state is not SyncState.LIVE:
            stats.tickers_unsynced += 1
            return
        uid = ticker.update_id
        pending = self._pending
        if uid < self._last_id or (pending is not None and uid <= pending.update_id):
            stats.tickers_stale += 1
            return
        if uid == self._last_id:
            stats.tickers_current += 1
            self._check(ticker, stats)
            return
        self._pending = ticker
        if not self._overlay:
            stats.tickers_ahead += 1
            return
        stats.tickers_applied += 1
        emitted = self._overlay_side(self.bids, Side.BUY, ticker.bid, now)
        emitted += self._overlay_side(self.asks, Side.SELL, ticker.ask, now)
        stats.ticker_deltas += emitted
        stats.book_deltas += emitted

    def finish(self) -> None:
        """End of the capture: buffered diffs that never found a usable snapshot are dropped."""
        for _, stats in self._buffer:
            stats.diffs_dropped_unsynced += 1
        self._buffer = []

    def _apply(self, diff: DepthDiff, now: int, stats: FileStats) -> None:
        stats.diffs_applied += 1
        self._last_id = diff.final_id
        ticker = self._pending
        if ticker is not None and self._overlay and ticker.update_id > diff.final_id:
            # The ticker is newer than this diff: the top it reported stays in force.
            changed = self._apply_under(self.bids, Side.BUY, diff.bids, ticker.bid, now)
            changed += self._apply_under(self.asks, Side.SELL, diff.asks, ticker.ask, now)
        else:
            changed = self._apply_levels(self.bids, Side.BUY, diff.bids, now)
            changed += self._apply_levels(self.asks, Side.SELL, diff.asks, now)
            if ticker is not None and ticker.update_id <= diff.final_id:
                if ticker.update_id == diff.final_id:
                    self._check(ticker, stats)
                self._pending = None
        stats.book_deltas += changed
        stats.levels_unchanged += len(diff.bids) + len(diff.asks) - changed

    def _apply_levels(self, book: BookSide, side: Side, levels: list[Level], now: int) -> int:
        changed = 0
        add, set_level, code = self._sink.add, book.set, int(side)
        for price, qty in levels:
            if set_level(price, qty):
                add(now, BOOK_DELTA, code, price, qty)
                changed += 1
        return changed

    def _apply_under(
        self, book: BookSide, side: Side, levels: list[Level], top: Level, now: int
    ) -> int:
        top_px, top_qty = top
        if not top_qty:
            return self._apply_levels(book, side, levels, now)
        sign = -1 if side is Side.BUY else 1
        changed = 0
        add, set_level, code = self._sink.add, book.set, int(side)
        for price, qty in levels:
            if price == top_px:
                qty = top_qty
            elif sign * price < sign * top_px:
                qty = 0
            if set_level(price, qty):
                add(now, BOOK_DELTA, code, price, qty)
                changed += 1
        return changed

    def _overlay_side(self, book: BookSide, side: Side, top: Level, now: int) -> int:
        top_px, top_qty = top
        if not top_qty:
            return 0
        add, code = self._sink.add, int(side)
        removed = book.remove_better_than(top_px)
        for price in removed:
            add(now, BOOK_DELTA, code, price, 0)
        if book.set(top_px, top_qty):
            add(now, BOOK_DELTA, code, top_px, top_qty)
            return len(removed) + 1
        return len(removed)

    def _check(self, ticker: BookTicker, stats: FileStats) -> None:
        stats.ticker_checks += 1
        bid_ok = not ticker.bid[1] or self.bids.best() == ticker.bid
        ask_ok = not ticker.ask[1] or self.asks.best() == ticker.ask
        if not (bid_ok and ask_ok):
            stats.ticker_disagreements += 1

    def _rebase(
        self, book: BookSide, side: Side, levels: list[Level], now: int, stats: FileStats
    ) -> None:
        target = {price: qty for price, qty in levels}
        add, code = self._sink.add, int(side)
        stale = sorted((p for p in book.levels if p not in target), key=lambda p: -p)
        for price in stale:
            book.set(price, 0)
            add(now, BOOK_DELTA, code, price, 0)
        changed = len(stale)
        for price, qty in target.items():
            if book.set(price, qty):
                add(now, BOOK_DELTA, code, price, qty)
                changed += 1
        stats.book_deltas += changed

    def _lose_sync(self, diff: DepthDiff, now: int, stats: FileStats) -> None:
        """Empties the book (a stale book is worse than none) and waits for a snapshot."""
        cleared = 0
        for book, side in ((self.bids, Side.BUY), (self.asks, Side.SELL)):
            for price in book.clear():
                self._sink.add(now, BOOK_DELTA, int(side), price, 0)
                cleared += 1
        stats.levels_cleared += cleared
        stats.book_deltas += cleared
        self.state = SyncState.AWAITING_SNAPSHOT
        self._pending = None
        self._buffer.append((diff, stats))
