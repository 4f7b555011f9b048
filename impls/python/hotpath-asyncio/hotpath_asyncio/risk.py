"""Stage 2: pre-trade risk for NEW and REPLACE (CANCEL always passes).

Rule 0 (the loss check, which may trip the kill switch) runs first, then rules 1–7 of
``docs/pipeline.md`` in order; the first failure is the reject reason. A request that
passes everything enters the account's throttle window.
"""

from __future__ import annotations

from hotpath_asyncio.book import MarketBooks
from hotpath_asyncio.codes import (
    BPS_DENOMINATOR,
    BUY,
    EXPOSURE_LIMIT,
    MAX_NOTIONAL,
    MAX_OPEN_ORDERS,
    POSITION_LIMIT,
    PRICE_BAND,
    RATE_LIMIT,
    TRADING_HALTED,
)
from hotpath_asyncio.killswitch import KillSwitch, mark_to_market
from hotpath_asyncio.orders import Account, Order
from hotpath_format import ScenarioMeta


class PreTradeRisk:
    """Account limits, the price collar, the throttle and the kill switch."""

    __slots__ = ("_band_bps", "_books", "_kill_switch")

    def __init__(self, meta: ScenarioMeta, books: MarketBooks, kill_switch: KillSwitch) -> None:
        self._books = books
        self._kill_switch = kill_switch
        self._band_bps = [ins.band_bps for ins in meta.instruments]

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
        """0 if the order may trade (and its ``ts`` joins the window), else the reason.

        ``side``/``price``/``qty`` are the order's after conversion (a REPLACE: the
        original's side, the new price and qty). ``new_limit`` marks a NEW LIMIT, the only
        kind checked against MAX_OPEN_ORDERS; ``replacing`` is the order a REPLACE acts on,
        whose open qty and notional are left out of the position and exposure checks.
        """
        if account.halted:
            return TRADING_HALTED
        books = self._books
        marked, gross = mark_to_market(account, books)
        if account.cash + marked < -account.max_loss:
            self._kill_switch.trip(account, index, request_id, instrument)
            return TRADING_HALTED

        ref = books.reference(instrument)
        if (
            ref is not None
            and abs(price - ref) * BPS_DENOMINATOR > self._band_bps[instrument] * ref
        ):
            return PRICE_BAND

        notional = price * qty
        if notional > account.max_order_notional:
            return MAX_NOTIONAL

        position = account.position[instrument]
        limit = account.max_position[instrument]
        if side == BUY:
            open_qty = account.open_buy[instrument]
            if replacing is not None:
                open_qty -= replacing.remaining
            if position + open_qty + qty > limit:
                return POSITION_LIMIT
        else:
            open_qty = account.open_sell[instrument]
            if replacing is not None:
                open_qty -= replacing.remaining
            if position - open_qty - qty < -limit:
                return POSITION_LIMIT

        # The rule-0 valuation still holds: nothing since has moved positions or prices.
        gross += account.open_notional + notional
        if replacing is not None:
            gross -= replacing.price * replacing.remaining
        if gross > account.max_gross_notional:
            return EXPOSURE_LIMIT

        window = account.window
        cutoff = ts - account.rate_limit_window_ns
        while window and window[0] <= cutoff:
            window.popleft()
        if len(window) >= account.rate_limit_count:
            return RATE_LIMIT

        if new_limit and len(account.live) >= account.max_open_orders:
            return MAX_OPEN_ORDERS

        window.append(ts)
        return 0
