"""Decoding one captured Binance message (already JSON-parsed) into a typed message.

A capture line holds either a combined-stream message ``{"stream": "<sym>@<type>", "data":
{...}}`` or a REST depth snapshot ``{"lastUpdateId": ...}``. Prices and sizes are converted to
scenario units here, so everything downstream is integer. Every problem is a ``ValueError``
naming the field; the reader adds the file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from hotpath_format import Side
from hotpath_lab.scenarios.binance.markets import MarketSpec, MarketUnits

Level = tuple[int, int]
"""(price units, quantity units); quantity 0 removes the level."""

_DEPTH_STREAM = re.compile(r"depth(@\d+ms)?")


@dataclass(frozen=True, slots=True)
class Snapshot:
    """REST depth snapshot: the book as of update id ``last_update_id``."""

    last_update_id: int
    bids: list[Level]
    asks: list[Level]


@dataclass(frozen=True, slots=True)
class DepthDiff:
    """Diff-depth event covering update ids ``first_id..=final_id`` (Binance ``U``/``u``).

    ``prev_final_id`` is the futures ``pu`` (the ``u`` of the previous event), None on spot.
    """

    first_id: int
    final_id: int
    prev_final_id: int | None
    bids: list[Level]
    asks: list[Level]


@dataclass(frozen=True, slots=True)
class BookTicker:
    """Best bid and ask as of update id ``update_id`` (same id space as the depth stream)."""

    update_id: int
    bid: Level
    ask: Level


@dataclass(frozen=True, slots=True)
class TradePrint:
    """One trade; ``aggressor`` is the taker's side."""

    price: int
    qty: int
    aggressor: Side
    kind: str
    """Futures ``X`` (``MARKET``, ``INSURANCE_FUND``, ``ADL``…); ``MARKET`` on spot."""


@dataclass(frozen=True, slots=True)
class SkippedStream:
    """A message of a stream type the caller asked to skip."""

    stream_type: str


Message = Snapshot | DepthDiff | BookTicker | TradePrint | SkippedStream


class MessageDecoder:
    """Decodes the messages of one market's capture (one symbol on one venue)."""

    __slots__ = ("_market", "_skip", "_units")

    def __init__(self, market: MarketSpec, skip_streams: frozenset[str]) -> None:
        self._market = market
        self._units = MarketUnits(market)
        self._skip = skip_streams

    def decode(self, obj: Any) -> Message:
        """The message held by one parsed JSON line; ``ValueError`` when it is not valid."""
        if not isinstance(obj, dict):
            raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
        stream = obj.get("stream")
        if stream is None:
            if "lastUpdateId" in obj:
                return self._snapshot(obj)
            raise ValueError("neither a stream message (no 'stream') nor a depth snapshot")
        if not isinstance(stream, str):
            raise ValueError(f"'stream' must be a string, got {stream!r}")
        symbol, _, stream_type = stream.partition("@")
        if symbol != self._market.stream_symbol:
            raise ValueError(
                f"stream {stream!r} is for symbol {symbol!r}; this file holds "
                f"{self._market.stream_symbol!r}"
            )
        if stream_type in self._skip:
            return SkippedStream(stream_type)
        data = obj.get("data")
        if not isinstance(data, dict):
            raise ValueError(f"stream {stream!r}: 'data' must be a JSON object")
        if _DEPTH_STREAM.fullmatch(stream_type):
            return self._diff(data)
        if stream_type == "bookTicker":
            return self._ticker(data)
        if stream_type == "trade":
            return self._trade(data)
        raise ValueError(
            f"unknown stream type {stream_type!r} in stream {stream!r} (known: depth, "
            "depth@<n>ms, bookTicker, trade; pass skip_streams to skip others with a count)"
        )

    def _snapshot(self, obj: dict[str, Any]) -> Snapshot:
        symbol = obj.get("symbol")
        if symbol is not None and str(symbol).lower() != self._market.stream_symbol:
            raise ValueError(
                f"depth snapshot is for symbol {symbol!r}; this file holds "
                f"{self._market.stream_symbol!r}"
            )
        return Snapshot(
            _int(obj, "lastUpdateId", "depth snapshot"),
            self._levels(obj, "bids", "depth snapshot"),
            self._levels(obj, "asks", "depth snapshot"),
        )

    def _diff(self, d: dict[str, Any]) -> DepthDiff:
        first, final = _int(d, "U", "depthUpdate"), _int(d, "u", "depthUpdate")
        if first > final:
            raise ValueError(f"depthUpdate: first update id U={first} is after u={final}")
        prev = _int(d, "pu", "depthUpdate") if self._market.venue.futures else None
        return DepthDiff(
            first,
            final,
            prev,
            self._levels(d, "b", "depthUpdate"),
            self._levels(d, "a", "depthUpdate"),
        )

    def _ticker(self, d: dict[str, Any]) -> BookTicker:
        bid_px = self._price(d, "b", "bookTicker")
        ask_px = self._price(d, "a", "bookTicker")
        return BookTicker(
            _int(d, "u", "bookTicker"),
            (bid_px, self._qty(d, "B", bid_px, "bookTicker")),
            (ask_px, self._qty(d, "A", ask_px, "bookTicker")),
        )

    def _trade(self, d: dict[str, Any]) -> TradePrint:
        price = self._price(d, "p", "trade")
        qty = self._qty(d, "q", price, "trade")
        maker_is_buyer = _field(d, "m", "trade")
        if not isinstance(maker_is_buyer, bool):
            raise ValueError(f"trade: field 'm' must be true or false, got {maker_is_buyer!r}")
        kind = d.get("X", "MARKET")
        if not isinstance(kind, str):
            raise ValueError(f"trade: field 'X' must be a string, got {kind!r}")
        # m = true: the buyer rested on the book, so the seller took liquidity.
        return TradePrint(price, qty, Side.SELL if maker_is_buyer else Side.BUY, kind)

    def _price(self, d: dict[str, Any], key: str, what: str) -> int:
        try:
            return self._units.price(_field(d, key, what))
        except ValueError as exc:
            raise ValueError(f"{what}: field {key!r}: {exc}") from None

    def _qty(self, d: dict[str, Any], key: str, price: int, what: str) -> int:
        try:
            return self._units.qty(_field(d, key, what), price)
        except ValueError as exc:
            raise ValueError(f"{what}: field {key!r}: {exc}") from None

    def _levels(self, d: dict[str, Any], key: str, what: str) -> list[Level]:
        raw = _field(d, key, what)
        if not isinstance(raw, list):
            raise ValueError(f"{what}: field {key!r} must be a list of [price, qty]")
        price_of, qty_of = self._units.price, self._units.qty
        out: list[Level] = []
        for i, level in enumerate(raw):
            try:
                if not isinstance(level, list) or len(level) != 2:
                    raise ValueError(f"expected [price, qty], got {level!r}")
                price = price_of(level[0])
                out.append((price, qty_of(level[1], price)))
            except ValueError as exc:
                raise ValueError(f"{what}: {key}[{i}]: {exc}") from None
        return out


def _field(d: dict[str, Any], key: str, what: str) -> Any:
    try:
        return d[key]
    except KeyError:
        raise ValueError(f"{what}: missing field {key!r}") from None


def _int(d: dict[str, Any], key: str, what: str) -> int:
    v = _field(d, key, what)
    if not isinstance(v, int) or isinstance(v, bool) or v < 0:
        raise ValueError(f"{what}: field {key!r} must be a non-negative integer, got {v!r}")
    return v
