"""A deliberately naive second reading of ``docs/pipeline.md``, to test the engine against.

No caches, no indexes, no incremental totals: every quantity (reference price, open qty,
open notional, queue order) is recomputed from scratch by scanning, exactly as the contract
words it. It is slow and obviously correct-by-inspection, which is the point: the engine's
optimisations (cached references, price-indexed resting orders, prefix deletion, running
totals) are checked against it on random streams.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hotpath_format import ScenarioMeta

Report = tuple[int, int, int, int, int, int, int, int, int, int, int, int, int]

BUY, SELL = 1, 2
LIMIT, IOC, MARKET = 1, 2, 3
ANY = 255
ACK, REJECT, FILL, CANCELLED, REPLACED, HALT = 1, 2, 3, 4, 5, 6
VALIDATION, RISK = 1, 2
REQUESTED, UNFILLED, KILL_SWITCH = 1, 2, 3
MAKER, TAKER = 1, 2


@dataclass
class ModelOrder:
    id: int
    account: int
    instrument: int
    side: int
    price: int
    qty: int
    remaining: int
    venue: int
    queue_ahead: int = 0
    live: bool = False


@dataclass
class ModelAccount:
    used_ids: set[int] = field(default_factory=set)
    orders: list[ModelOrder] = field(default_factory=list)
    position: dict[int, int] = field(default_factory=dict)
    cash: int = 0
    window: list[int] = field(default_factory=list)
    halted: bool = False


class Model:
    """Handles events like ``Engine.handle`` and collects the same report tuples."""

    def __init__(self, meta: ScenarioMeta) -> None:
        self.meta = meta
        self.books: dict[tuple[int, int, int], dict[int, int]] = {}
        self.last_trade: dict[int, int] = {}
        self.accounts = [ModelAccount() for _ in meta.accounts]
        self.reports: list[Report] = []
        self.index = 0

    # ---- helpers -----------------------------------------------------------------------

    def book(self, venue: int, instrument: int, side: int) -> dict[int, int]:
        return self.books.setdefault((venue, instrument, side), {})

    def reference(self, instrument: int) -> int | None:
        bids = [p for v in range(len(self.meta.venues)) for p in self.book(v, instrument, BUY)]
        asks = [p for v in range(len(self.meta.venues)) for p in self.book(v, instrument, SELL)]
        if bids and asks:
            return (max(bids) + min(asks)) // 2
        return self.last_trade.get(instrument)

    def live(self, account: int) -> list[ModelOrder]:
        return [o for o in self.accounts[account].orders if o.live]

    def pnl(self, account: int) -> int:
        acct = self.accounts[account]
        total = acct.cash
        for instrument, pos in acct.position.items():
            ref = self.reference(instrument)
            if ref is not None:
                total += pos * ref
        return total

    def emit(self, *fields: int) -> None:
        assert len(fields) == 12
        self.reports.append((self.index, *fields))  # type: ignore[arg-type]

    def apply_fill(self, order: ModelOrder, price: int, qty: int) -> None:
        acct = self.accounts[order.account]
        signed = qty if order.side == BUY else -qty
        acct.position[order.instrument] = acct.position.get(order.instrument, 0) + signed
        acct.cash -= price * signed
        order.remaining -= qty
        if order.remaining == 0:
            order.live = False

    def loss_check(self, account: int, order_id: int, instrument: int) -> bool:
        acct = self.accounts[account]
        if acct.halted or self.pnl(account) >= -self.meta.accounts[account].limits.max_loss:
            return False
        acct.halted = True
        self.emit(order_id, 0, 0, 0, instrument, account, HALT, 0, 0, ANY, 0, 0)
        for order in sorted(self.live(account), key=lambda o: o.id):
            order.live = False
            self.emit(
                order.id, 0, order.price, order.remaining, order.instrument, account,
                CANCELLED, 0, KILL_SWITCH, order.venue, 0, order.side,
            )  # fmt: skip
        return True

    # ---- events ------------------------------------------------------------------------

    def handle(self, index: int, *event: int) -> None:
        self.index = index
        ts, rid, orig, price, qty, ins, acct, kind, side, otype, venue = event
        if kind in (1, 2):
            self.market_data(kind, ins, venue, side, price, qty)
        elif kind in (3, 4, 5):
            self.request(kind, ts, rid, orig, price, qty, ins, acct, side, otype, venue)

    def market_data(self, kind: int, ins: int, venue: int, side: int, price: int, qty: int) -> None:
        if venue >= len(self.meta.venues) or ins >= len(self.meta.instruments):
            return
        if side not in (BUY, SELL) or price <= 0 or qty < 0 or (kind == 2 and qty == 0):
            return
        if kind == 1:
            book = self.book(venue, ins, side)
            if qty == 0:
                book.pop(price, None)
            else:
                book[price] = qty
            for a in range(len(self.accounts)):
                for o in self.live(a):
                    key = (o.venue, o.instrument, o.side, o.price)
                    if key == (venue, ins, side, price) and o.queue_ahead > qty:
                        o.queue_ahead = qty
            return
        self.last_trade[ins] = price
        other = SELL if side == BUY else BUY
        eligible = [
            o
            for a in range(len(self.accounts))
            for o in self.live(a)
            if o.venue == venue and o.instrument == ins and o.side == other
            and (o.price >= price if other == BUY else o.price <= price)
        ]  # fmt: skip
        sign = -1 if other == BUY else 1
        eligible.sort(key=lambda o: (sign * o.price, o.id, o.account))
        left = qty
        filled: set[int] = set()
        for o in eligible:
            if left <= 0:
                break
            if o.price == price:
                c = min(o.queue_ahead, left)
                o.queue_ahead -= c
                left -= c
            f = min(o.remaining, left)
            if f > 0:
                self.emit(o.id, 0, o.price, f, ins, o.account, FILL, 0, 0, venue, MAKER, o.side)
                left -= f
                self.apply_fill(o, o.price, f)
                filled.add(o.account)
        for a in sorted(filled):
            self.loss_check(a, 0, ins)

    def request(
        self,
        kind: int,
        ts: int,
        rid: int,
        orig: int,
        price: int,
        qty: int,
        ins: int,
        acct: int,
        side: int,
        otype: int,
        venue: int,
    ) -> None:
        def reject(stage: int, reason: int) -> None:
            self.emit(rid, orig, price, qty, ins, acct, REJECT, stage, reason, venue, 0, side)

        reason, limit = self.validate(kind, rid, orig, price, qty, ins, acct, side, otype, venue)
        if reason:
            reject(VALIDATION, reason)
        else:
            target = None if kind == 3 else next(o for o in self.live(acct) if o.id == orig)
            if kind == 4:
                assert target is not None
                target.live = False
                self.emit(
                    target.id, rid, target.price, target.remaining, ins, acct, CANCELLED, 0,
                    REQUESTED, target.venue, 0, target.side,
                )  # fmt: skip
            else:
                order_side = side if kind == 3 else target.side  # type: ignore[union-attr]
                reason = self.risk(kind, ts, rid, acct, ins, order_side, limit, qty, otype, target)
                if reason:
                    reject(RISK, reason)
                elif kind == 3:
                    self.execute(rid, acct, ins, order_side, otype, limit, qty, venue, True)
                else:
                    assert target is not None
                    target.live = False
                    self.emit(
                        rid, orig, price, qty, ins, acct, REPLACED, 0, 0, target.venue, 0,
                        target.side,
                    )  # fmt: skip
                    self.execute(
                        rid, acct, ins, target.side, LIMIT, price, qty, target.venue, False
                    )
        if acct < len(self.accounts):
            self.accounts[acct].used_ids.add(rid)

    def validate(
        self,
        kind: int,
        rid: int,
        orig: int,
        price: int,
        qty: int,
        ins: int,
        acct: int,
        side: int,
        otype: int,
        venue: int,
    ) -> tuple[int, int]:
        meta = self.meta
        if ins >= len(meta.instruments):
            return 1, 0
        if acct >= len(meta.accounts):
            return 2, 0
        spec = meta.instruments[ins]
        if kind == 3 and venue >= len(meta.venues) and venue != ANY:
            return 3, 0
        if kind == 3 and (side not in (BUY, SELL) or otype not in (LIMIT, IOC, MARKET)):
            return 4, 0
        if kind in (3, 5) and (qty <= 0 or qty % spec.lot_size != 0):
            return 5, 0
        if kind in (3, 5) and qty > spec.max_order_qty:
            return 6, 0
        priced = kind == 5 or (kind == 3 and otype in (LIMIT, IOC))
        if priced and (price <= 0 or price % spec.tick_size != 0 or price > spec.max_price):
            return 7, 0
        if rid in self.accounts[acct].used_ids:
            return 8, 0
        if kind in (4, 5) and not any(
            o.id == orig and o.instrument == ins for o in self.live(acct)
        ):
            return 9, 0
        if kind == 3 and otype == MARKET:
            ref = self.reference(ins)
            if ref is None:
                return 10, 0
            off = ref * spec.band_bps // 10000
            if side == BUY:
                collar = (ref + off) // spec.tick_size * spec.tick_size
            else:
                if ref - off <= 0:
                    return 7, 0
                collar = -((-(ref - off)) // spec.tick_size) * spec.tick_size
            if collar <= 0 or collar > spec.max_price:
                return 7, 0
            return 0, collar
        return 0, price

    def risk(
        self,
        kind: int,
        ts: int,
        rid: int,
        acct: int,
        ins: int,
        side: int,
        price: int,
        qty: int,
        otype: int,
        target: ModelOrder | None,
    ) -> int:
        a = self.accounts[acct]
        limits = self.meta.accounts[acct].limits
        if not a.halted:
            self.loss_check(acct, rid, ins)
        if a.halted:
            return 32
        ref = self.reference(ins)
        if ref is not None and abs(price - ref) * 10000 > self.meta.instruments[ins].band_bps * ref:
            return 33
        notional = price * qty
        if notional > limits.max_order_notional:
            return 34
        others = [o for o in self.live(acct) if o is not target]
        pos = a.position.get(ins, 0)
        same_side = sum(o.remaining for o in others if o.instrument == ins and o.side == side)
        if side == BUY and pos + same_side + qty > limits.max_position[ins]:
            return 35
        if side == SELL and pos - same_side - qty < -limits.max_position[ins]:
            return 35
        gross = notional + sum(o.price * o.remaining for o in others)
        for i, p in a.position.items():
            r = self.reference(i)
            if r is not None:
                gross += abs(p * r)
        if gross > limits.max_gross_notional:
            return 36
        in_window = [t for t in a.window if t > ts - limits.rate_limit_window_ns]
        if len(in_window) >= limits.rate_limit_count:
            return 37
        if kind == 3 and otype == LIMIT and len(self.live(acct)) >= limits.max_open_orders:
            return 38
        a.window.append(ts)
        return 0

    def execute(
        self,
        rid: int,
        acct: int,
        ins: int,
        side: int,
        otype: int,
        limit: int,
        qty: int,
        venue: int,
        ack: bool,
    ) -> None:
        order = ModelOrder(rid, acct, ins, side, limit, qty, qty, venue)
        self.accounts[acct].orders.append(order)
        if ack:
            self.emit(rid, 0, limit, qty, ins, acct, ACK, 0, 0, venue, 0, side)
        venues = range(len(self.meta.venues)) if venue == ANY else [venue]
        other = SELL if side == BUY else BUY
        filled = False
        while order.remaining > 0:
            levels = [
                (p, v)
                for v in venues
                for p in self.book(v, ins, other)
                if (p <= limit if side == BUY else p >= limit)
            ]
            if not levels:
                break
            p, v = min(levels, key=lambda pv: (pv[0] if side == BUY else -pv[0], pv[1]))
            book = self.book(v, ins, other)
            take = min(order.remaining, book[p])
            self.emit(rid, 0, p, take, ins, acct, FILL, 0, 0, v, TAKER, side)
            self.apply_fill(order, p, take)
            book[p] -= take
            if book[p] == 0:
                del book[p]
            filled = True
        tripped = filled and self.loss_check(acct, rid, ins)
        if order.remaining == 0:
            return
        if otype != LIMIT or tripped:
            reason = KILL_SWITCH if otype == LIMIT else UNFILLED
            self.emit(
                rid, 0, limit, order.remaining, ins, acct, CANCELLED, 0, reason, venue, 0, side
            )
            return
        if venue == ANY:
            venue = 0
            best: int | None = None
            for v in range(len(self.meta.venues)):
                prices = list(self.book(v, ins, side))
                if prices:
                    p = max(prices) if side == BUY else min(prices)
                    if best is None or (p > best if side == BUY else p < best):
                        best, venue = p, v
        order.venue = venue
        order.queue_ahead = self.book(venue, ins, side).get(limit, 0)
        order.live = True
