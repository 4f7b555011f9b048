"""Public book copies and the consolidated reference price."""

from __future__ import annotations

from tests.hotpath_asyncio.support import BUY, SELL, Session, delta, make_meta, trade

from hotpath_asyncio.book import BookSide, MarketBooks


def test_book_side_keeps_prices_sorted_and_removes_levels() -> None:
    side = BookSide()
    for price, qty in [(101, 5), (99, 2), (100, 7), (99, 3)]:
        side.set_level(price, qty)
    assert side.prices == [99, 100, 101]
    assert side.qty == {99: 3, 100: 7, 101: 5}
    side.set_level(100, 0)
    side.set_level(250, 0)  # removing an absent level does nothing
    assert side.prices == [99, 101]
    assert side.qty == {99: 3, 101: 5}


def test_book_side_take_reduces_then_removes() -> None:
    side = BookSide()
    side.set_level(100, 5)
    side.take(100, 2)
    assert side.qty == {100: 3}
    side.take(100, 3)
    assert side.prices == [] and side.qty == {}


def test_reference_is_floor_of_consolidated_mid() -> None:
    books = MarketBooks(n_instruments=1, n_venues=3)
    books.apply_delta(0, 0, BUY, 98, 1)
    books.apply_delta(0, 2, BUY, 99, 1)  # best bid on venue 2
    books.apply_delta(0, 1, SELL, 104, 1)
    books.apply_delta(0, 0, SELL, 102, 1)  # best ask on venue 0
    assert books.reference(0) == 100  # floor(201 / 2)


def test_reference_of_crossed_book_is_still_the_mid() -> None:
    books = MarketBooks(n_instruments=1, n_venues=2)
    books.apply_delta(0, 0, BUY, 105, 1)
    books.apply_delta(0, 1, SELL, 100, 1)
    assert books.reference(0) == 102


def test_reference_falls_back_to_last_trade_then_none() -> None:
    books = MarketBooks(n_instruments=2, n_venues=1)
    assert books.reference(0) is None
    books.apply_delta(0, 0, BUY, 99, 1)
    assert books.reference(0) is None  # one side only, no trade yet
    books.record_trade(0, 97)
    assert books.reference(0) == 97
    books.apply_delta(0, 0, SELL, 103, 1)
    assert books.reference(0) == 101  # both sides again: the mid wins over the trade
    books.apply_delta(0, 0, BUY, 99, 0)
    assert books.reference(0) == 97
    assert books.reference(1) is None


def test_reference_cache_follows_changes() -> None:
    session = Session(make_meta())
    books = session.engine.books
    session.feed(delta(BUY, 99, 1), delta(SELL, 101, 1))
    assert books.reference(0) == 100
    session.feed(delta(SELL, 103, 1, venue=1), delta(SELL, 101, 0))
    assert books.reference(0) == 101
    session.feed(trade(BUY, 500, 1), delta(BUY, 99, 0))
    assert books.reference(0) == 500


def test_best_venue_for_resting_any_orders() -> None:
    books = MarketBooks(n_instruments=1, n_venues=3)
    assert books.best_venue(0, BUY) == 0
    assert books.best_venue(0, SELL) == 0
    books.apply_delta(0, 0, BUY, 98, 1)
    books.apply_delta(0, 1, BUY, 99, 1)
    books.apply_delta(0, 2, BUY, 99, 1)
    assert books.best_venue(0, BUY) == 1  # tie on 99: lowest venue id
    books.apply_delta(0, 2, SELL, 103, 1)
    books.apply_delta(0, 1, SELL, 103, 1)
    assert books.best_venue(0, SELL) == 1
    books.apply_delta(0, 0, SELL, 102, 1)
    assert books.best_venue(0, SELL) == 0
