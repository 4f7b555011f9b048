"""Scenario metadata (JSON schema 1): instruments, venues, accounts and risk limits.

``ScenarioMeta.from_dict`` applies the same checks as ``hotpath_core::format::ScenarioMeta``
so both languages refuse the same files with a message naming the field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from hotpath_format.meta_fields import field_type_problem

SCHEMA_VERSION = 1


class MetadataError(ValueError):
    """Scenario metadata that is not a usable configuration."""


@dataclass(frozen=True, slots=True)
class InstrumentMeta:
    id: int
    symbol: str
    tick_size: int
    lot_size: int
    max_order_qty: int
    max_price: int
    band_bps: int
    price_decimals: int = 0
    qty_decimals: int = 0


@dataclass(frozen=True, slots=True)
class VenueMeta:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class AccountLimits:
    max_order_notional: int
    max_gross_notional: int
    max_position: tuple[int, ...]
    rate_limit_count: int
    rate_limit_window_ns: int
    max_open_orders: int
    max_loss: int


@dataclass(frozen=True, slots=True)
class AccountMeta:
    id: int
    name: str
    limits: AccountLimits


@dataclass(frozen=True, slots=True)
class ScenarioMeta:
    name: str
    instruments: tuple[InstrumentMeta, ...]
    venues: tuple[VenueMeta, ...]
    accounts: tuple[AccountMeta, ...]
    raw: dict[str, Any] = field(compare=False, repr=False)
    """The whole JSON object, including keys this class does not model (``source`` …)."""

    @classmethod
    def from_dict(cls, d: dict[str, Any], *, file: str = "<metadata>") -> ScenarioMeta:
        try:
            return _parse(d, file)
        except MetadataError:
            raise
        except (KeyError, TypeError, ValueError) as exc:
            raise MetadataError(f"{file}: metadata: {_describe(exc)}") from exc

    @classmethod
    def from_json(cls, data: bytes | str, *, file: str = "<metadata>") -> ScenarioMeta:
        try:
            d = json.loads(data)
        # ValueError covers JSONDecodeError and integers beyond the digit limit; RecursionError,
        # nesting deeper than the parser goes: hostile payloads (a gateway's START) get an answer
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise MetadataError(f"{file}: metadata is not valid UTF-8 JSON: {exc}") from exc
        if not isinstance(d, dict):
            raise MetadataError(f"{file}: metadata must be a JSON object")
        return cls.from_dict(d, file=file)

    def to_dict(self) -> dict[str, Any]:
        return self.raw

    def to_json(self) -> str:
        """The canonical JSON text (as written into files), which the Rust side parses."""
        return canonical_json(self.raw).decode()

    def instrument(self, symbol: str) -> InstrumentMeta:
        for ins in self.instruments:
            if ins.symbol == symbol:
                return ins
        raise KeyError(symbol)


def canonical_json(d: dict[str, Any]) -> bytes:
    """The byte form written into files: sorted keys, no whitespace, ASCII."""
    return json.dumps(d, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return f"missing field {exc.args[0]!r}"
    return str(exc)


def _int(d: dict[str, Any], key: str, where: str, *, minimum: int | None = None) -> int:
    if key not in d:
        raise MetadataError(f"{where}.{key} is missing")
    v = d[key]
    if not isinstance(v, int) or isinstance(v, bool):
        raise MetadataError(f"{where}.{key} must be an integer, got {v!r}")
    if minimum is not None and v < minimum:
        op = ">" if minimum == 1 else ">="
        bound = 0 if minimum == 1 else minimum
        raise MetadataError(f"{where}.{key} must be {op} {bound}, got {v}")
    return v


def _decimals(d: dict[str, Any], key: str, where: str) -> int:
    """An optional display precision: absent is 0, else an integer >= 0 (found by fuzzing:
    ``int()`` let ``1e999`` through as an ``OverflowError`` and ``"x"`` as a ``ValueError``)."""
    return _int(d, key, where, minimum=0) if key in d else 0


def _dense(items: Any, what: str, file: str) -> list[dict[str, Any]]:
    if not isinstance(items, list):
        raise MetadataError(f"{file}: metadata: {what} must be a list")
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise MetadataError(f"{file}: metadata: {what}[{i}] must be an object")
        if item.get("id") != i:
            raise MetadataError(
                f"{file}: metadata: {what}[{i}].id is {item.get('id')!r}, ids must be dense "
                f"(expected {i})"
            )
    return items


def _parse(d: dict[str, Any], file: str) -> ScenarioMeta:
    problem = field_type_problem(d)
    if problem is not None:
        raise MetadataError(f"{file}: metadata: {problem}")
    schema = d.get("schema")
    if schema != SCHEMA_VERSION:
        raise MetadataError(f"{file}: metadata: schema {schema!r} is not supported (expected 1)")
    venues_raw = _dense(d.get("venues"), "venues", file)
    if not 1 <= len(venues_raw) <= 255:
        raise MetadataError(
            f"{file}: metadata: {len(venues_raw)} venues; between 1 and 255 are supported"
        )
    instruments_raw = _dense(d.get("instruments"), "instruments", file)
    accounts_raw = _dense(d.get("accounts"), "accounts", file)
    try:
        instruments = tuple(
            InstrumentMeta(
                id=i,
                symbol=str(x.get("symbol", "")),
                tick_size=_int(x, "tick_size", f"instruments[{i}]", minimum=1),
                lot_size=_int(x, "lot_size", f"instruments[{i}]", minimum=1),
                max_order_qty=_int(x, "max_order_qty", f"instruments[{i}]", minimum=1),
                max_price=_int(x, "max_price", f"instruments[{i}]", minimum=1),
                band_bps=_int(x, "band_bps", f"instruments[{i}]", minimum=0),
                price_decimals=_decimals(x, "price_decimals", f"instruments[{i}]"),
                qty_decimals=_decimals(x, "qty_decimals", f"instruments[{i}]"),
            )
            for i, x in enumerate(instruments_raw)
        )
        venues = tuple(
            VenueMeta(id=i, name=str(x.get("name", ""))) for i, x in enumerate(venues_raw)
        )
        accounts = tuple(_account(i, x, len(instruments)) for i, x in enumerate(accounts_raw))
    except MetadataError as exc:
        raise MetadataError(f"{file}: metadata: {exc}") from None
    return ScenarioMeta(
        name=str(d.get("name", "")),
        instruments=instruments,
        venues=venues,
        accounts=accounts,
        raw=d,
    )


def _account(i: int, x: dict[str, Any], n_instruments: int) -> AccountMeta:
    where = f"accounts[{i}].limits"
    lim = x.get("limits")
    if not isinstance(lim, dict):
        raise MetadataError(f"{where} is missing")
    pos = lim.get("max_position")
    if not isinstance(pos, list) or len(pos) != n_instruments:
        n = len(pos) if isinstance(pos, list) else "no"
        raise MetadataError(
            f"{where}.max_position has {n} entries, expected one per instrument ({n_instruments})"
        )
    for j, p in enumerate(pos):
        if not isinstance(p, int) or p < 0:
            raise MetadataError(f"{where}.max_position[{j}] must be >= 0")
    return AccountMeta(
        id=i,
        name=str(x.get("name", "")),
        limits=AccountLimits(
            max_order_notional=_int(lim, "max_order_notional", where, minimum=0),
            max_gross_notional=_int(lim, "max_gross_notional", where, minimum=0),
            max_position=tuple(pos),
            rate_limit_count=_int(lim, "rate_limit_count", where, minimum=0),
            rate_limit_window_ns=_int(lim, "rate_limit_window_ns", where, minimum=0),
            max_open_orders=_int(lim, "max_open_orders", where, minimum=0),
            max_loss=_int(lim, "max_loss", where, minimum=0),
        ),
    )
