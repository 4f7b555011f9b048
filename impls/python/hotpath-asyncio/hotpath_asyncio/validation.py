"""Stage 1: request validation, and the MARKET → IOC conversion at the price collar.

Rules are checked in the order of ``docs/pipeline.md`` (stage 1) and the first failure is
the reject reason. The checks return ints rather than raising: a reject is ordinary input
on the hot path, not an exceptional one.
"""

from __future__ import annotations

from hotpath_asyncio.book import MarketBooks
from hotpath_asyncio.codes import (
    BPS_DENOMINATOR,
    BUY,
    DUPLICATE_ID,
    INVALID_PRICE,
    INVALID_QTY,
    INVALID_REQUEST,
    LIMIT,
    MARKET,
    NO_REFERENCE_PRICE,
    QTY_TOO_LARGE,
    SELL,
    UNKNOWN_ACCOUNT,
    UNKNOWN_INSTRUMENT,
    UNKNOWN_ORDER,
    UNKNOWN_VENUE,
    VENUE_ANY,
)
from hotpath_asyncio.orders import Account
from hotpath_format import ScenarioMeta


class Validator:
    """Static checks against the metadata plus the account's ids and live orders.

    Rules 1–7 read only the metadata and come before every rule that reads state (8:
    duplicate id, 9: unknown order, 10: no reference price). ``static_only=True`` stops after
    them — a passing request then answers 0 — so that a service can run them in front of an
    engine that owns the state and keep the contract's first-failure order (the
    ``hybrid-risk-exec`` build). One test of a flag rather than a second copy of the rules or
    a call per request: the rules stay in one place and the Python build pays ~nothing.
    """

    __slots__ = (
        "_accounts",
        "_band_bps",
        "_books",
        "_lot_size",
        "_max_order_qty",
        "_max_price",
        "_n_accounts",
        "_n_instruments",
        "_n_venues",
        "_static_only",
        "_tick_size",
    )

    def __init__(
        self,
        meta: ScenarioMeta,
        books: MarketBooks,
        accounts: list[Account],
        *,
        static_only: bool = False,
    ) -> None:
        self._static_only = static_only
        self._books = books
        self._accounts = accounts
        self._n_instruments = len(meta.instruments)
        self._n_accounts = len(meta.accounts)
        self._n_venues = len(meta.venues)
        self._tick_size = [ins.tick_size for ins in meta.instruments]
        self._lot_size = [ins.lot_size for ins in meta.instruments]
        self._max_order_qty = [ins.max_order_qty for ins in meta.instruments]
        self._max_price = [ins.max_price for ins in meta.instruments]
        self._band_bps = [ins.band_bps for ins in meta.instruments]

    def new_order(
        self,
        request_id: int,
        price: int,
        qty: int,
        instrument: int,
        account: int,
        side: int,
        order_type: int,
        venue: int,
    ) -> int:
        """The order's limit price (> 0; a MARKET's collar) if valid, else ``-reason``
        (``static_only``: 0 if rules 1–7 pass)."""
        if instrument >= self._n_instruments:
            return -UNKNOWN_INSTRUMENT
        if account >= self._n_accounts:
            return -UNKNOWN_ACCOUNT
        if venue >= self._n_venues and venue != VENUE_ANY:
            return -UNKNOWN_VENUE
        if (side != BUY and side != SELL) or not LIMIT <= order_type <= MARKET:
            return -INVALID_REQUEST
        if qty <= 0 or qty % self._lot_size[instrument]:
            return -INVALID_QTY
        if qty > self._max_order_qty[instrument]:
            return -QTY_TOO_LARGE
        if order_type != MARKET and (
            price <= 0 or price % self._tick_size[instrument] or price > self._max_price[instrument]
        ):
            return -INVALID_PRICE
        if self._static_only:
            return 0
        if request_id in self._accounts[account].used_ids:
            return -DUPLICATE_ID
        if order_type == MARKET:
            return self.collar_price(instrument, side)
        return price

    def collar_price(self, instrument: int, side: int) -> int:
        """Where a MARKET order becomes an IOC: the reference ± the band, on the tick grid.

        Returns ``-NO_REFERENCE_PRICE`` without a reference and ``-INVALID_PRICE`` when the
        collar leaves the valid price range.
        """
        ref = self._books.reference(instrument)
        if ref is None:
            return -NO_REFERENCE_PRICE
        offset = ref * self._band_bps[instrument] // BPS_DENOMINATOR
        tick = self._tick_size[instrument]
        if side == BUY:
            price = (ref + offset) // tick * tick
        else:
            raw = ref - offset
            if raw <= 0:
                return -INVALID_PRICE
            price = -(-raw // tick) * tick
        if price <= 0 or price > self._max_price[instrument]:
            return -INVALID_PRICE
        return price

    def cancel(self, request_id: int, orig_id: int, instrument: int, account: int) -> int:
        """0 if the CANCEL is valid, else the reason."""
        if instrument >= self._n_instruments:
            return UNKNOWN_INSTRUMENT
        if account >= self._n_accounts:
            return UNKNOWN_ACCOUNT
        if self._static_only:
            return 0
        acct = self._accounts[account]
        if request_id in acct.used_ids:
            return DUPLICATE_ID
        orig = acct.live.get(orig_id)
        if orig is None or orig.instrument != instrument:
            return UNKNOWN_ORDER
        return 0

    def replace(
        self, request_id: int, orig_id: int, price: int, qty: int, instrument: int, account: int
    ) -> int:
        """0 if the REPLACE is valid, else the reason."""
        if instrument >= self._n_instruments:
            return UNKNOWN_INSTRUMENT
        if account >= self._n_accounts:
            return UNKNOWN_ACCOUNT
        if qty <= 0 or qty % self._lot_size[instrument]:
            return INVALID_QTY
        if qty > self._max_order_qty[instrument]:
            return QTY_TOO_LARGE
        if price <= 0 or price % self._tick_size[instrument] or price > self._max_price[instrument]:
            return INVALID_PRICE
        if self._static_only:
            return 0
        acct = self._accounts[account]
        if request_id in acct.used_ids:
            return DUPLICATE_ID
        orig = acct.live.get(orig_id)
        if orig is None or orig.instrument != instrument:
            return UNKNOWN_ORDER
        return 0
