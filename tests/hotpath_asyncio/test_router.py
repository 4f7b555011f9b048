"""The sweep (price, then lowest venue id; ANY vs a named venue) and where remainders rest."""

from __future__ import annotations

from tests.hotpath_asyncio.support import (
    ANY,
    BUY,
    IOC,
    SELL,
    Rpt,
    Session,
    delta,
    new,
)

from hotpath_format import Liquidity, ReportKind

FILL = ReportKind.FILL
TAKER = Liquidity.TAKER


def fills(out: list[Rpt]) -> list[tuple[int, int, int]]:
    """(price, qty, venue) of the fills in ``out``."""
    return [(r.price, r.qty, r.venue) for r in out if r.kind == FILL]


def test_buy_any_visits_lowest_ask_then_lowest_venue(session: Session) -> None:
    session.feed(
        delta(SELL, 101, 5, venue=0), delta(SELL, 100, 3, venue=2), delta(SELL, 100, 4, venue=1)
    )
    out = session.feed(new(1, BUY, 101, 10, venue=ANY))
    assert out[1:] == [
        Rpt(3, 1, 0, 100, 4, 0, 0, FILL, 0, 0, 1, TAKER, BUY),
        Rpt(3, 1, 0, 100, 3, 0, 0, FILL, 0, 0, 2, TAKER, BUY),
        Rpt(3, 1, 0, 101, 3, 0, 0, FILL, 0, 0, 0, TAKER, BUY),
    ]
    assert session.engine.books.asks[0][0].qty == {101: 2}
    assert session.position() == 10
    assert session.cash() == -(400 + 300 + 303)
    assert session.live_ids() == []


def test_sell_any_visits_highest_bid_then_lowest_venue(session: Session) -> None:
    session.feed(
        delta(BUY, 99, 2, venue=0), delta(BUY, 100, 1, venue=2), delta(BUY, 100, 1, venue=1)
    )
    out = session.feed(new(1, SELL, 99, 3, venue=ANY))
    assert fills(out) == [(100, 1, 1), (100, 1, 2), (99, 1, 0)]
    assert all(r.side == SELL and r.liquidity == TAKER for r in out[1:])
    assert session.position() == -3 and session.cash() == 299


def test_named_venue_sweeps_only_that_venue_and_rests_there(session: Session) -> None:
    session.feed(delta(SELL, 100, 3, venue=1), delta(SELL, 99, 4, venue=2))
    out = session.feed(new(1, BUY, 101, 10, venue=1))
    assert fills(out) == [(100, 3, 1)]
    order = session.order(1)
    assert (order.venue, order.remaining, order.queue_ahead) == (1, 7, 0)
    assert session.engine.books.asks[0][2].qty == {99: 4}


def test_sweep_stops_at_the_limit(session: Session) -> None:
    session.feed(delta(SELL, 100, 3), delta(SELL, 101, 3, venue=1))
    out = session.feed(new(1, BUY, 100, 5, venue=ANY, order_type=IOC))
    assert fills(out) == [(100, 3, 0)]
    assert out[-1].kind == ReportKind.CANCELLED and out[-1].qty == 2


def test_taken_level_stays_reduced_until_the_next_delta(session: Session) -> None:
    session.feed(delta(SELL, 101, 5))
    session.feed(new(1, BUY, 101, 3, order_type=IOC))
    assert fills(session.feed(new(2, BUY, 101, 3, order_type=IOC))) == [(101, 2, 0)]
    session.feed(delta(SELL, 101, 5))  # overwrites the level
    assert fills(session.feed(new(3, BUY, 101, 1, order_type=IOC))) == [(101, 1, 0)]
    assert session.engine.books.asks[0][0].qty == {101: 4}


def test_taking_does_not_touch_queue_ahead_of_resting_orders(session: Session) -> None:
    session.feed(delta(SELL, 101, 5))
    session.feed(new(1, SELL, 101, 2, account=1))
    assert session.order(1, account=1).queue_ahead == 5
    session.feed(new(2, BUY, 101, 3, order_type=IOC))
    assert session.engine.books.asks[0][0].qty == {101: 2}
    assert session.order(1, account=1).queue_ahead == 5


def test_any_limit_rests_at_best_same_side_venue(session: Session) -> None:
    session.feed(delta(BUY, 98, 4, venue=0), delta(BUY, 99, 6, venue=1), delta(BUY, 99, 2, venue=2))
    session.feed(new(1, BUY, 99, 1, venue=ANY), new(2, BUY, 97, 1, venue=ANY))
    assert (session.order(1).venue, session.order(1).queue_ahead) == (1, 6)
    assert (session.order(2).venue, session.order(2).queue_ahead) == (1, 0)
    session.feed(new(3, SELL, 105, 1, venue=ANY))  # no asks anywhere: venue 0
    assert session.order(3).venue == 0
    session.feed(delta(SELL, 106, 1, venue=2), new(4, SELL, 106, 3, venue=ANY))
    assert (session.order(4).venue, session.order(4).queue_ahead) == (2, 1)


def test_any_remainder_rests_after_a_partial_sweep(session: Session) -> None:
    session.feed(delta(SELL, 100, 1, venue=2), delta(SELL, 103, 1, venue=1))
    session.feed(new(1, SELL, 105, 3, venue=ANY))  # nothing to take; lowest ask is on venue 2
    assert (session.order(1).venue, session.order(1).queue_ahead) == (2, 0)
    session.feed(delta(BUY, 98, 1, venue=1), delta(BUY, 98, 1, venue=2))
    out = session.feed(new(2, BUY, 100, 2, venue=ANY))
    assert fills(out) == [(100, 1, 2)]
    assert (session.order(2).venue, session.order(2).remaining) == (1, 1)


def test_reference_follows_the_sweep(session: Session) -> None:
    session.feed(delta(BUY, 99, 1), delta(SELL, 101, 1))
    assert session.engine.books.reference(0) == 100
    session.feed(new(1, BUY, 101, 1, order_type=IOC))
    assert session.engine.books.reference(0) is None  # ask taken, no trade printed yet
