"""The type of every metadata field a reader uses (``docs/formats.md``, "Metadata field
types"), checked on the parsed JSON before anything is read from it.

The counterpart of ``hotpath_core::format::METADATA_FIELDS``: the contract test holds the
two tables equal, so the Python and Rust readers refuse the same files, naming the field
(an instrument's ``tick_size = 2**70`` does not fit the engine's i64).
"""

from __future__ import annotations

from typing import Any

_U8 = ("u8", 0, 2**8 - 1)
_U16 = ("u16", 0, 2**16 - 1)
_U32 = ("u32", 0, 2**32 - 1)
_U64 = ("u64", 0, 2**64 - 1)
_I64 = ("i64", -(2**63), 2**63 - 1)
_STRING = ("string", None, None)

METADATA_FIELDS: tuple[tuple[str, tuple[str, int | None, int | None]], ...] = (
    ("schema", _U32),
    ("name", _STRING),
    ("instruments[].id", _U16),
    ("instruments[].symbol", _STRING),
    ("instruments[].tick_size", _I64),
    ("instruments[].lot_size", _I64),
    ("instruments[].max_order_qty", _I64),
    ("instruments[].max_price", _I64),
    ("instruments[].band_bps", _I64),
    ("instruments[].price_decimals", _U8),
    ("instruments[].qty_decimals", _U8),
    ("venues[].id", _U8),
    ("venues[].name", _STRING),
    ("accounts[].id", _U16),
    ("accounts[].name", _STRING),
    ("accounts[].limits.max_order_notional", _I64),
    ("accounts[].limits.max_gross_notional", _I64),
    ("accounts[].limits.max_position[]", _I64),
    ("accounts[].limits.rate_limit_count", _U32),
    ("accounts[].limits.rate_limit_window_ns", _U64),
    ("accounts[].limits.max_open_orders", _U32),
    ("accounts[].limits.max_loss", _I64),
)
"""``(path, (type, min, max))``; ``[]`` in a path: each element of a list. A field that is
absent is left to the reader (required ones are reported missing there); present, it must
hold its type."""


def field_type_problem(root: Any) -> str | None:
    """``"<field> <what is wrong>"`` for the first field that does not hold its type, else
    ``None`` (table order, then list order, as the Rust reader)."""
    for path, ty in METADATA_FIELDS:
        problem = _walk(root, path.split("."), "", ty)
        if problem is not None:
            return problem
    return None


def _walk(
    value: Any, segments: list[str], at: str, ty: tuple[str, int | None, int | None]
) -> str | None:
    if not segments:
        return _check_leaf(value, at, ty)
    segment, rest = segments[0], segments[1:]
    each = segment.endswith("[]")
    key = segment.removesuffix("[]")
    # a container of the wrong shape is the reader's to report
    if not isinstance(value, dict) or key not in value:
        return None
    child = value[key]
    here = f"{at}.{key}" if at else key
    if not each:
        return _walk(child, rest, here, ty)
    if not isinstance(child, list):
        return None
    for i, item in enumerate(child):
        problem = _walk(item, rest, f"{here}[{i}]", ty)
        if problem is not None:
            return problem
    return None


def _check_leaf(value: Any, field: str, ty: tuple[str, int | None, int | None]) -> str | None:
    name, lo, hi = ty
    if lo is None or hi is None:
        return None if isinstance(value, str) else f"{field} must be a string, got {value!r}"
    if isinstance(value, int) and not isinstance(value, bool) and lo <= value <= hi:
        return None
    return f"{field} must be an integer in [{lo}, {hi}] ({name}), got {_shown(value)}"


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."
