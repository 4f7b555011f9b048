"""Order records and per-account state (positions, cash, open exposure, throttle, kill switch).

Every accepted order keeps its record for the whole session, the way a production order
manager does for audit; ``Account.live`` is the subset currently resting.
"""

from __future__ import annotations

from collections import deque

from hotpath_asyncio.codes import BUY
from hotpath_format import AccountMeta

# Order lifecycle states (audit only: reports never carry them).
PENDING = 0
"""Accepted and being executed (sweeping); not yet resting."""
LIVE = 1
FILLED = 2
CANCELLED = 3
REPLACED = 4


class Order:
    """One accepted order. ``venue`` is the resting venue (for an IOC: the requested one)."""

    __slots__ = (
        "account",
        "id",
        "instrument",
        "order_type",
        "price",
        "priority",
        "qty",
        "queue_ahead",
        "remaining",
        "replaced_by",
        "requested_venue",
        "side",
        "status",
        "venue",
    )

    def __init__(
        self,
        order_id: int,
        account: int,
        instrument: int,
        side: int,
        order_type: int,
        price: int,
        qty: int,
        venue: int,
    ) -> None:
        self.id = order_id
        self.account = account
        self.instrument = instrument
        self.side = side
        self.order_type = order_type
        """As requested: a MARKET order keeps MARKET here but behaves as an IOC."""
        self.price = price
        """Limit price (a MARKET order's collar price)."""
        self.qty = qty
        self.remaining = qty
        self.requested_venue = venue
        self.venue = venue
        self.queue_ahead = 0
        """Visible qty ahead of us at our price and venue, while resting."""
        self.status = PENDING
        self.replaced_by = 0
        """Id of the replacing order once this one is replaced."""
        # Passive fills visit orders at one price by order id, then account id; the key is
        # one int so ordering and insertion need no tuple per comparison.
        self.priority = (order_id << 16) | account

    def __repr__(self) -> str:
        return (
            f"Order(id={self.id}, account={self.account}, instrument={self.instrument}, "
            f"side={self.side}, price={self.price}, qty={self.qty}, "
            f"remaining={self.remaining}, venue={self.venue}, status={self.status})"
        )


class Account:
    """Everything the pipeline tracks for one account, with its limits unpacked."""

    __slots__ = (
        "cash",
        "halted",
        "id",
        "live",
        "max_gross_notional",
        "max_loss",
        "max_open_orders",
        "max_order_notional",
        "max_position",
        "open_buy",
        "open_notional",
        "open_sell",
        "orders",
        "position",
        "rate_limit_count",
        "rate_limit_window_ns",
        "used_ids",
        "window",
    )

    def __init__(self, meta: AccountMeta, n_instruments: int) -> None:
        limits = meta.limits
        self.id = meta.id
        self.max_order_notional = limits.max_order_notional
        self.max_gross_notional = limits.max_gross_notional
        self.max_position = list(limits.max_position)
        self.rate_limit_count = limits.rate_limit_count
        self.rate_limit_window_ns = limits.rate_limit_window_ns
        self.max_open_orders = limits.max_open_orders
        self.max_loss = limits.max_loss

        self.used_ids: set[int] = set()
        """Every request id seen for this account, whatever its outcome."""
        self.orders: dict[int, Order] = {}
        """Every order accepted in the session, by id."""
        self.live: dict[int, Order] = {}
        """Resting orders by id; ``len(live)`` is the open order count."""
        self.position = [0] * n_instruments
        self.cash = 0
        self.open_buy = [0] * n_instruments
        self.open_sell = [0] * n_instruments
        self.open_notional = 0
        self.window: deque[int] = deque()
        """Timestamps of accepted NEW/REPLACE requests, oldest first (the throttle)."""
        self.halted = False
        """The kill switch: trips at most once per session and never resets."""

    def add_live(self, order: Order) -> None:
        """The order starts resting: count its remaining as open."""
        self.live[order.id] = order
        order.status = LIVE
        remaining = order.remaining
        if order.side == BUY:
            self.open_buy[order.instrument] += remaining
        else:
            self.open_sell[order.instrument] += remaining
        self.open_notional += order.price * remaining

    def remove_live(self, order: Order, status: int) -> None:
        """The order stops resting with ``remaining`` unfilled (cancelled or replaced)."""
        del self.live[order.id]
        order.status = status
        remaining = order.remaining
        if order.side == BUY:
            self.open_buy[order.instrument] -= remaining
        else:
            self.open_sell[order.instrument] -= remaining
        self.open_notional -= order.price * remaining

    def fill(self, instrument: int, side: int, price: int, qty: int, venue: int) -> None:
        """Position and cash for one taker fill (cash is exact: Python ints do not
        overflow). ``venue`` is where it took liquidity: unused here, it is what an account
        whose ledger lives elsewhere forwards (the ``hybrid-risk`` build)."""
        if side == BUY:
            self.position[instrument] += qty
            self.cash -= price * qty
        else:
            self.position[instrument] -= qty
            self.cash += price * qty

    def fill_live(self, order: Order, qty: int) -> bool:
        """A passive fill of a resting order; True when it completes the order."""
        instrument = order.instrument
        price = order.price
        notional = price * qty
        if order.side == BUY:
            self.position[instrument] += qty
            self.cash -= notional
            self.open_buy[instrument] -= qty
        else:
            self.position[instrument] -= qty
            self.cash += notional
            self.open_sell[instrument] -= qty
        self.open_notional -= notional
        remaining = order.remaining - qty
        order.remaining = remaining
        if remaining:
            return False
        del self.live[order.id]
        order.status = FILLED
        return True
