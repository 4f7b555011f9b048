"""Metadata field types (docs/formats.md, "Metadata field types"): a value the engine's
type cannot hold is refused by the Python reader, naming the field, exactly where the Rust
reader refuses it (one table, ``METADATA_FIELDS``, on each side)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from hotpath_format import MetadataError, ScenarioMeta
from hotpath_format.meta_fields import METADATA_FIELDS

META: dict[str, Any] = {
    "schema": 1,
    "name": "t",
    "instruments": [
        {"id": 0, "symbol": "X", "tick_size": 1, "lot_size": 1, "max_order_qty": 10,
         "max_price": 100, "band_bps": 100, "price_decimals": 2, "qty_decimals": 8}
    ],
    "venues": [{"id": 0, "name": "v"}],
    "accounts": [
        {"id": 0, "name": "a",
         "limits": {"max_order_notional": 0, "max_gross_notional": 0, "max_position": [0],
                    "rate_limit_count": 0, "rate_limit_window_ns": 0, "max_open_orders": 0,
                    "max_loss": 0}}
    ],
}  # fmt: skip


def with_value(path: str, value: object) -> dict[str, Any]:
    """``META`` with the first element of each list on ``path`` set to ``value``."""
    d = copy.deepcopy(META)
    node: Any = d
    *parents, last = path.split(".")
    for seg in parents:
        node = node[seg.removesuffix("[]")]
        if seg.endswith("[]"):
            node = node[0]
    if last.endswith("[]"):
        node[last.removesuffix("[]")][0] = value
    else:
        node[last] = value
    return d


def shown_path(path: str) -> str:
    return path.replace("[]", "[0]")


INTEGERS = [(p, lo, hi) for p, (_, lo, hi) in METADATA_FIELDS if lo is not None]
STRINGS = [p for p, (_, lo, _) in METADATA_FIELDS if lo is None]


@pytest.mark.parametrize(("path", "lo", "hi"), INTEGERS)
def test_an_integer_beyond_its_type_is_refused_naming_the_field(
    path: str, lo: int, hi: int
) -> None:
    for value in (hi + 1, lo - 1, 2**70, True, 1.0, "1", None):
        with pytest.raises(MetadataError, match=rf"f\.hpe: metadata: {_re(shown_path(path))} "):
            ScenarioMeta.from_json(json.dumps(with_value(path, value)), file="f.hpe")


@pytest.mark.parametrize("path", STRINGS)
def test_a_string_field_holding_something_else_is_refused(path: str) -> None:
    for value in (7, None, ["x"]):
        with pytest.raises(MetadataError, match=_re(shown_path(path))):
            ScenarioMeta.from_json(json.dumps(with_value(path, value)), file="f.hpe")


def test_the_issue_case_tick_size_two_to_the_seventy() -> None:
    with pytest.raises(MetadataError) as err:
        ScenarioMeta.from_dict(with_value("instruments[].tick_size", 2**70), file="s.hpe")
    assert "s.hpe" in str(err.value) and "instruments[0].tick_size" in str(err.value)
    assert "i64" in str(err.value)


def test_the_largest_values_each_type_holds_are_accepted() -> None:
    d = copy.deepcopy(META)
    d["accounts"][0]["limits"]["rate_limit_window_ns"] = 2**64 - 1
    d["accounts"][0]["limits"]["max_open_orders"] = 2**32 - 1
    d["instruments"][0]["max_price"] = 2**63 - 1
    assert ScenarioMeta.from_dict(d).accounts[0].limits.rate_limit_window_ns == 2**64 - 1


def _re(text: str) -> str:
    import re

    return re.escape(text)


hotpath_rs = pytest.importorskip("hotpath_rs")


@pytest.mark.parametrize(("path", "lo", "hi"), INTEGERS)
def test_rust_refuses_the_same_values_naming_the_same_field(path: str, lo: int, hi: int) -> None:
    for value, ok in ((hi, True), (lo, True), (hi + 1, False), (2**70, False), (True, False)):
        d = with_value(path, value)
        python_ok = _accepts(d)
        text = json.dumps(d)
        try:
            hotpath_rs.Engine(text)
            rust_ok, message = True, ""
        except hotpath_rs.MetadataError as exc:
            rust_ok, message = False, str(exc)
        assert rust_ok == python_ok, (path, value, message)
        if not ok:
            assert not rust_ok and shown_path(path) in message, (path, value, message)


def _accepts(d: dict[str, Any]) -> bool:
    try:
        ScenarioMeta.from_dict(d)
    except MetadataError:
        return False
    return True
