"""The queue model and passive (maker) fills from public trades."""

from __future__ import annotations

from tests.hotpath_asyncio.support import BUY, SELL, Rpt, Session, delta, new, trade

from hotpath_format import Liquidity, ReportKind

MAKER = Liquidity.MAKER


def maker_fills(out: list[Rpt]) -> list[tuple[int, int, int, int]]:
    """(order id, account, price, qty) of each fill, in report order."""
    assert all(r.kind == ReportKind.FILL and r.liquidity == MAKER for r in out), out
    return [(r.order_id, r.account, r.price, r.qty) for r in out]


def test_queue_ahead_is_the_visible_qty_at_placement(session: Session) -> None:
    session.feed(delta(BUY, 100, 7), delta(BUY, 100, 3, venue=1))
    session.feed(new(1, BUY, 100, 10), new(2, BUY, 99, 1), new(3, BUY, 100, 1, venue=1))
    assert [session.order(i).queue_ahead for i in (1, 2, 3)] == [7, 0, 3]


def test_book_delta_only_ever_shrinks_queue_ahead(session: Session) -> None:
    session.feed(delta(BUY, 100, 7), new(1, BUY, 100, 10))
    order = session.order(1)
    steps = [
        (delta(BUY, 100, 4), 4),
        (delta(BUY, 100, 9), 4),  # the level grew: joiners queue behind us
        (delta(BUY, 101, 1), 4),  # another price
        (delta(SELL, 100, 1), 4),  # the other side
        (delta(BUY, 100, 1, venue=1), 4),  # another venue
        (delta(BUY, 100, -1), 4),  # ignored (negative qty)
        (delta(BUY, 100, 2), 2),
        (delta(BUY, 100, 0), 0),
    ]
    for event, expected in steps:
        assert session.feed(event) == []
        assert order.queue_ahead == expected, event


def test_delta_removing_an_absent_level_still_caps_the_queue(session: Session) -> None:
    # Our own sweep removed the visible level locally; the venue then reports it empty.
    session.feed(delta(BUY, 100, 5), new(1, BUY, 100, 2, account=1))
    session.feed(new(2, SELL, 100, 5))  # account 0 takes the whole bid level
    assert 100 not in session.engine.books.bids[0][0].qty
    assert session.order(1, account=1).queue_ahead == 5
    session.feed(delta(BUY, 100, 0))
    assert session.order(1, account=1).queue_ahead == 0


def test_trade_at_our_price_consumes_queue_then_fills(session: Session) -> None:
    session.feed(delta(BUY, 100, 5), new(1, BUY, 100, 10))
    assert session.feed(trade(SELL, 100, 3)) == []
    assert session.order(1).queue_ahead == 2
    out = session.feed(trade(SELL, 100, 4))
    assert out == [Rpt(3, 1, 0, 100, 2, 0, 0, ReportKind.FILL, 0, 0, 0, MAKER, BUY)]
    order = session.order(1)
    assert (order.queue_ahead, order.remaining) == (0, 8)
    assert session.engine.books.bids[0][0].qty == {100: 5}  # trades never touch the book


def test_better_priced_orders_fill_at_their_own_price_without_queue(session: Session) -> None:
    session.feed(delta(BUY, 101, 5), new(1, BUY, 101, 4))
    out = session.feed(trade(SELL, 100, 3))
    assert maker_fills(out) == [(1, 0, 101, 3)]
    assert session.order(1).queue_ahead == 5
    assert session.cash() == -303


def test_visiting_order_is_price_then_order_id_then_account(session: Session) -> None:
    session.feed(
        new(5, BUY, 100, 1, account=0),
        new(3, BUY, 100, 1, account=1),
        new(3, BUY, 100, 1, account=0),
        new(9, BUY, 101, 1, account=0),
        new(2, BUY, 99, 1, account=1),
    )
    out = session.feed(trade(SELL, 99, 10))
    assert maker_fills(out) == [
        (9, 0, 101, 1),
        (3, 0, 100, 1),
        (3, 1, 100, 1),
        (5, 0, 100, 1),
        (2, 1, 99, 1),
    ]
    assert session.live_ids(0) == [] and session.live_ids(1) == []


def test_aggressor_buy_fills_resting_sells_lowest_first(session: Session) -> None:
    session.feed(new(1, SELL, 102, 2), new(2, SELL, 101, 2), new(3, SELL, 104, 2))
    session.feed(new(4, BUY, 103, 1))  # a resting BUY is not on the trade's other side
    out = session.feed(trade(BUY, 103, 3))
    assert maker_fills(out) == [(2, 0, 101, 2), (1, 0, 102, 1)]
    assert session.position() == -3 and session.cash() == 202 + 102


def test_trade_does_not_fill_worse_priced_or_other_venue_orders(session: Session) -> None:
    session.feed(new(1, BUY, 99, 1), new(2, BUY, 100, 1, venue=1))
    assert session.feed(trade(SELL, 100, 5)) == []
    assert session.feed(trade(SELL, 101, 5, venue=1)) == []
    assert session.feed(trade(BUY, 99, 5)) == []  # aggressor BUY: our BUYs are not eligible


def test_each_order_at_the_print_consumes_its_own_queue(session: Session) -> None:
    session.feed(delta(BUY, 100, 3), new(1, BUY, 100, 2), new(2, BUY, 100, 2))
    out = session.feed(trade(SELL, 100, 7))
    # Order 1: queue 3 → 0, fills 2 (left 2); order 2: queue 3 → 1, left 0, no fill.
    assert maker_fills(out) == [(1, 0, 100, 2)]
    assert session.order(2).queue_ahead == 1 and session.order(2).remaining == 2


def test_trade_stops_when_exhausted_leaving_later_queues_alone(session: Session) -> None:
    session.feed(delta(BUY, 100, 3), new(1, BUY, 100, 2), new(2, BUY, 100, 2))
    assert session.feed(trade(SELL, 100, 2)) == []
    assert session.order(1).queue_ahead == 1 and session.order(2).queue_ahead == 3


def test_partial_then_complete_fill_updates_open_exposure(session: Session) -> None:
    session.feed(new(1, SELL, 100, 5))
    account = session.engine.accounts[0]
    assert (account.open_sell[0], account.open_notional) == (5, 500)
    session.feed(trade(BUY, 100, 2))
    assert session.order(1).remaining == 3
    assert (account.open_sell[0], account.open_notional) == (3, 300)
    assert session.live_ids() == [1]
    out = session.feed(trade(BUY, 100, 10))
    assert maker_fills(out) == [(1, 0, 100, 3)]
    assert (account.open_sell[0], account.open_notional, len(account.live)) == (0, 0, 0)
    assert session.position() == -5 and session.cash() == 500
    assert session.engine.resting.sells[0][0].prices == []


def test_trade_sets_last_trade_price_without_fills(session: Session) -> None:
    session.feed(delta(BUY, 90, 1), trade(BUY, 95, 1))
    assert session.engine.books.reference(0) == 95
