"""The venues, instruments and integer units a Binance capture is mapped onto.

Each asset (BTC, ETH) is ONE instrument traded on three venues: spot (venue 0), the
USDⓈ-margined perpetual (venue 1) and the coin-margined perpetual (venue 2). USDT and USD
are treated as the same quote currency. Units are shared by every venue of an instrument:

* price unit 0.01 USD (``PRICE_DECIMALS``): every tick of the six books is a multiple of it;
* quantity unit 1e-8 of the base asset (``QTY_DECIMALS``): spot and USDⓈ-M sizes are exact;
  coin-margined sizes are contracts and are converted (``MarketUnits.qty``).
"""

from __future__ import annotations

from dataclasses import dataclass

from hotpath_lab.scenarios.units import I64_MAX

PRICE_DECIMALS = 2
QTY_DECIMALS = 8
PRICE_SCALE: int = 10**PRICE_DECIMALS
QTY_SCALE: int = 10**QTY_DECIMALS
_POW10: tuple[int, ...] = tuple(10**i for i in range(20))
_CACHE_LIMIT = 1 << 20


@dataclass(frozen=True, slots=True)
class VenueSpec:
    """A Binance venue: its id in the scenario, display name and capture directory."""

    id: int
    name: str
    directory: str
    futures: bool
    """Futures streams carry ``pu`` and use the futures synchronisation rules."""


@dataclass(frozen=True, slots=True)
class AssetSpec:
    """One instrument of the scenario and its declared order bounds (in scenario units)."""

    id: int
    symbol: str
    lot_size: int
    max_order_qty: int
    max_price: int
    band_bps: int


@dataclass(frozen=True, slots=True)
class MarketSpec:
    """One Binance symbol: which venue and instrument it feeds, and its contract size."""

    venue: VenueSpec
    asset: AssetSpec
    stream_symbol: str
    contract_usd: int
    """USD face value of one contract (coin-margined); 0 when sizes are in the base asset."""


VENUES = (
    VenueSpec(0, "spot", "spot", futures=False),
    VenueSpec(1, "usdm", "usdm", futures=True),
    VenueSpec(2, "coinm", "cm", futures=True),
)

# Lots are the finest spot lot (BTC 0.00001, ETH 0.0001); the futures lots (0.001) are
# multiples. Bounds are deliberately generous declared limits, not market estimates: every
# level seen in the 2024 captures (BTC up to 621k, ETH up to 27k) is a valid price.
ASSETS = (
    AssetSpec(0, "BTC", lot_size=1_000, max_order_qty=100 * QTY_SCALE,
              max_price=1_000_000 * PRICE_SCALE, band_bps=500),
    AssetSpec(1, "ETH", lot_size=10_000, max_order_qty=2_000 * QTY_SCALE,
              max_price=100_000 * PRICE_SCALE, band_bps=500),
)  # fmt: skip

_SPOT, _USDM, _COINM = VENUES
_BTC, _ETH = ASSETS

MARKETS = {
    (m.venue.directory, m.stream_symbol): m
    for m in (
        MarketSpec(_SPOT, _BTC, "btcusdt", 0),
        MarketSpec(_SPOT, _ETH, "ethusdt", 0),
        MarketSpec(_USDM, _BTC, "btcusdt", 0),
        MarketSpec(_USDM, _ETH, "ethusdt", 0),
        MarketSpec(_COINM, _BTC, "btcusd_perp", 100),
        MarketSpec(_COINM, _ETH, "ethusd_perp", 10),
    )
}
"""Known Binance symbols by (capture directory, lower-case stream symbol)."""


def parse_decimal(text: object, decimals: int) -> int:
    """``text`` (a plain non-negative decimal string) in units of ``10**-decimals``, exactly.

    Raises ``ValueError`` for anything else, including digits finer than the unit: a price
    or size that the unit cannot represent is refused, never rounded.
    """
    if not isinstance(text, str):
        raise ValueError(f"expected a decimal string, got {text!r}")
    whole, dot, frac = text.partition(".")
    digits = whole + frac
    if not whole or (dot and not frac) or not (digits.isascii() and digits.isdigit()):
        raise ValueError(f"{text!r} is not a plain decimal number")
    extra = len(frac) - decimals
    if extra > 0:
        if digits[-extra:].strip("0"):
            raise ValueError(f"{text!r} has more than {decimals} decimal places")
        return int(digits[:-extra])
    return int(digits) * _POW10[-extra]


class MarketUnits:
    """Converts one market's price and size strings to scenario units.

    Coin-margined sizes are contracts of ``contract_usd`` each: the base quantity at price
    ``p`` is ``contracts × contract_usd / p``, rounded to the nearest lot (ties up) and never
    below one lot, so a non-zero level never becomes zero and every converted size is on the
    instrument's lot grid.
    """

    __slots__ = ("_contract_num", "_lot", "_prices", "_sizes")

    def __init__(self, market: MarketSpec) -> None:
        self._lot = market.asset.lot_size
        # contracts × usd × 10^(qd + pd) / (price_units × lot) is the size in lots.
        self._contract_num = market.contract_usd * QTY_SCALE * PRICE_SCALE
        # Books repeat the same strings (prices, "0.00000000"): parse each once.
        self._prices: dict[object, int] = {}
        self._sizes: dict[object, int] = {}

    def price(self, text: object) -> int:
        """A positive price in 0.01 USD units."""
        cached = self._prices.get(text) if isinstance(text, str) else None
        if cached is not None:
            return cached
        value = parse_decimal(text, PRICE_DECIMALS)
        if value <= 0:
            raise ValueError(f"price {text!r} is not positive")
        _check_i64("price", text, value)
        if len(self._prices) < _CACHE_LIMIT:
            self._prices[text] = value
        return value

    def qty(self, text: object, price: int) -> int:
        """A non-negative size in 1e-8 base-asset units; ``price`` is in price units."""
        if not self._contract_num:
            cached = self._sizes.get(text) if isinstance(text, str) else None
            if cached is not None:
                return cached
            value = parse_decimal(text, QTY_DECIMALS)
            _check_i64("size", text, value)
            if len(self._sizes) < _CACHE_LIMIT:
                self._sizes[text] = value
            return value
        contracts = parse_decimal(text, 0)
        if contracts == 0:
            return 0
        den = price * self._lot
        lots = (2 * contracts * self._contract_num + den) // (2 * den)
        return _check_i64("size", text, max(lots, 1) * self._lot)


def _check_i64(what: str, text: object, units: int) -> int:
    """``units`` if an event record's i64 price or qty field holds it; else ``ValueError``
    (so the importer names the file and line, and the record is never reached)."""
    if units > I64_MAX:
        raise ValueError(
            f"{what} {_shown(text)} is {units} units, beyond the largest an event record holds "
            f"(i64, {I64_MAX})"
        )
    return units


def _shown(text: object) -> str:
    r = repr(text)
    return r if len(r) <= 48 else f"{r[:45]}..."
