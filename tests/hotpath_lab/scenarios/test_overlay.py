"""The strategy laid over an external market-data stream (as for imported captures)."""

from __future__ import annotations

import tomllib
from typing import Any

import numpy as np
import pytest

from hotpath_format import EVENT_DTYPE, EventKind, read_events
from hotpath_lab.scenarios import ManifestError, build_scenario, load_manifest, overlay

pytest.importorskip("hotpath_toolkit")


@pytest.fixture(scope="module")
def market() -> tuple[np.ndarray, dict[str, Any]]:
    """The market data of a generated scenario, with its metadata, as an external feed."""
    f = read_events(build_scenario("smoke", scale=0.5))
    records = np.array(f.records[f.records["kind"] <= EventKind.TRADE])
    meta = {k: v for k, v in f.meta.raw.items() if k != "source"}
    return records, meta


def test_overlay_keeps_every_market_event_in_order(
    market: tuple[np.ndarray, dict[str, Any]],
) -> None:
    records, meta = market
    merged, stats = overlay(records, meta, "smoke", seed=3)
    assert merged.dtype == EVENT_DTYPE
    is_md = merged["kind"] <= EventKind.TRADE
    assert np.array_equal(merged[is_md], records)
    assert (np.diff(merged["ts"].astype(np.int64)) >= 0).all()
    assert int((~is_md).sum()) == sum(
        stats["records"].get(k.name, 0)
        for k in (EventKind.NEW_ORDER, EventKind.CANCEL, EventKind.REPLACE)
    )
    assert "market" not in stats or stats["market"] is None
    again, _ = overlay(records, meta, "smoke", seed=3)
    assert np.array_equal(again, merged), "same input and seed, same stream"
    other, _ = overlay(records, meta, "smoke", seed=4)
    assert not np.array_equal(other, merged)


def test_overlay_takes_a_strategy_table(market: tuple[np.ndarray, dict[str, Any]]) -> None:
    records, meta = market
    table = tomllib.loads(load_manifest("smoke").path.read_text())["strategy"]
    table = {**table, "bad_share": 0.0}
    del table["drill"]
    merged, stats = overlay(records, meta, table, seed=1)
    assert stats["intended_rejects"].keys() <= {"NO_REFERENCE_PRICE"}
    assert (merged["kind"] == EventKind.NEW_ORDER).sum() > 0


def test_strategy_names_must_exist_in_the_metadata(
    market: tuple[np.ndarray, dict[str, Any]],
) -> None:
    records, meta = market
    renamed = {**meta, "accounts": [{**a, "name": f"x-{a['name']}"} for a in meta["accounts"]]}
    with pytest.raises(
        ManifestError, match=r"strategy\.makers\[0\]\.account: 'mm-1' is not an account"
    ):
        overlay(records, renamed, "smoke", seed=1)


def test_a_strategy_the_generator_refuses_names_the_key(
    market: tuple[np.ndarray, dict[str, Any]],
) -> None:
    records, meta = market
    table = tomllib.loads(load_manifest("smoke").path.read_text())["strategy"]
    table = {**table, "quote_qty": {**table["quote_qty"], "ETH-USD": "1.005"}}
    with pytest.raises(ManifestError) as info:
        overlay(records, meta, table, seed=1)
    assert str(info.value) == (
        "<strategy>: strategy.quote_qty.ETH-USD: must be a positive whole number of lots"
    )
    assert info.value.config_path == "strategy.instruments[1].quote_qty"


def test_overlay_refuses_requests_and_time_travel(
    market: tuple[np.ndarray, dict[str, Any]],
) -> None:
    records, meta = market
    bad = records[:10].copy()
    bad["kind"][5] = EventKind.NEW_ORDER
    with pytest.raises(ValueError, match=r"record 5: NEW_ORDER is not market data"):
        overlay(bad, meta, "smoke", seed=1)
    back = records[:10].copy()
    back["ts"][7] = 0
    with pytest.raises(ValueError, match=r"record 7: timestamp 0 is before"):
        overlay(back, meta, "smoke", seed=1)
    with pytest.raises(TypeError, match="EVENT_DTYPE"):
        overlay(np.zeros(3, np.uint64), meta, "smoke", seed=1)
