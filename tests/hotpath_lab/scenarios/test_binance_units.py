"""Decimal parsing, contract conversion and the book side's best-price bookkeeping."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotpath_format import Side
from hotpath_lab.scenarios.binance.book import BookSide
from hotpath_lab.scenarios.binance.markets import MARKETS, MarketUnits, parse_decimal


@pytest.mark.parametrize(
    ("text", "decimals", "value"),
    [
        ("61837.63000000", 2, 6_183_763),
        ("0.00000001", 8, 1),
        ("12", 2, 1_200),
        ("0.5", 8, 50_000_000),
        ("1001", 0, 1_001),
        ("007.10", 1, 71),
    ],
)
def test_parse_decimal_is_exact(text: str, decimals: int, value: int) -> None:
    assert parse_decimal(text, decimals) == value


@pytest.mark.parametrize(
    "text", ["", ".5", "1.", "-1", "+1", "1e5", " 1", "1_000", "١٢", "1.2.3", "0.001"]
)
def test_parse_decimal_refuses_anything_but_plain_representable_decimals(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(text))):
        parse_decimal(text, 2)


def test_parse_decimal_refuses_non_strings() -> None:
    with pytest.raises(ValueError, match=r"expected a decimal string, got 1\.5"):
        parse_decimal(1.5, 2)


def test_linear_sizes_are_exact_in_1e8_units() -> None:
    units = MarketUnits(MARKETS[("usdm", "btcusdt")])
    assert units.qty("12.111", 61_740_50) == 1_211_100_000
    assert units.qty("0.000", 61_740_50) == 0


def test_contract_conversion_rounds_to_the_nearest_lot_and_never_to_zero() -> None:
    eth = MarketUnits(MARKETS[("cm", "ethusd_perp")])  # 10 USD a contract, lot 1e-4 ETH
    # 33968 × 10 / 2685.39 = 126.491906… ETH → 1264919 lots of 1e-4
    assert eth.qty("33968", 2_685_39) == 1_264_919 * 10_000
    # 1 × 10 / 2682.18 = 0.0037283… → 37 lots
    assert eth.qty("1", 2_682_18) == 370_000
    # 1 × 10 / 300000 = 0.0000333… is a third of a lot: kept as one lot, not zero
    assert eth.qty("1", 300_000_00) == 10_000
    assert eth.qty("0", 2_682_18) == 0
    btc = MarketUnits(MARKETS[("cm", "btcusd_perp")])  # 100 USD a contract, lot 1e-5 BTC
    # 2 × 100 / 8,000,000 = 0.000025 BTC = 2.5 lots: a tie rounds up to 3 lots
    assert btc.qty("2", 8_000_000_00) == 3_000
    # 1 × 100 / 40,000,000 = 0.25 lot would round to zero: kept as one lot
    assert btc.qty("1", 40_000_000_00) == 1_000
    with pytest.raises(ValueError, match=r"'1\.5' has more than 0 decimal places"):
        btc.qty("1.5", 60_000_00)


@given(
    st.lists(
        st.tuples(st.sampled_from([Side.BUY, Side.SELL]), st.integers(1, 40), st.integers(0, 3)),
        max_size=300,
    ),
    st.integers(1, 40),
)
def test_book_side_best_and_removal_match_a_plain_dict(
    ops: list[tuple[Side, int, int]], cut: int
) -> None:
    sides = {Side.BUY: BookSide(Side.BUY), Side.SELL: BookSide(Side.SELL)}
    model: dict[Side, dict[int, int]] = {Side.BUY: {}, Side.SELL: {}}
    for side, price, qty in ops:
        changed = sides[side].set(price, qty)
        assert changed == (model[side].get(price, 0) != qty)
        if qty:
            model[side][price] = qty
        else:
            model[side].pop(price, None)
    for side, pick in ((Side.BUY, max), (Side.SELL, min)):
        levels = model[side]
        want = (pick(levels), levels[pick(levels)]) if levels else None
        assert sides[side].best() == want
        better = [p for p in levels if (p > cut if side is Side.BUY else p < cut)]
        removed = sides[side].remove_better_than(cut)
        assert removed == sorted(better, reverse=side is Side.BUY)
        assert sides[side].levels == {p: q for p, q in levels.items() if p not in better}
