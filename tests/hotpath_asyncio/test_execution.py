"""Stage 3: NEW remainders, CANCEL, REPLACE, and the fields of every accepted report kind."""

from __future__ import annotations

from tests.hotpath_asyncio.support import (
    ANY,
    BUY,
    IOC,
    MARKET,
    SELL,
    Rpt,
    Session,
    cancel,
    delta,
    new,
    replace,
    trade,
)

from hotpath_asyncio.orders import CANCELLED, FILLED, LIVE, REPLACED
from hotpath_format import CancelReason, Liquidity, ReportKind

ACK = ReportKind.ACK
FILL = ReportKind.FILL
CXL = ReportKind.CANCELLED
RPL = ReportKind.REPLACED


def test_limit_without_liquidity_acks_and_rests(session: Session) -> None:
    out = session.feed(new(7, SELL, 105, 3, venue=2, account=1, ts=5))
    assert out == [Rpt(0, 7, 0, 105, 3, 0, 1, ACK, 0, 0, 2, 0, SELL)]
    order = session.order(7, account=1)
    assert (order.status, order.venue, order.remaining) == (LIVE, 2, 3)
    account = session.engine.accounts[1]
    assert (account.open_sell[0], account.open_notional, len(account.live)) == (3, 315, 1)


def test_ioc_remainder_is_cancelled_at_the_requested_venue(session: Session) -> None:
    session.feed(delta(SELL, 100, 2, venue=1))
    out = session.feed(new(1, BUY, 100, 5, venue=ANY, order_type=IOC))
    assert out == [
        Rpt(1, 1, 0, 100, 5, 0, 0, ACK, 0, 0, ANY, 0, BUY),
        Rpt(1, 1, 0, 100, 2, 0, 0, FILL, 0, 0, 1, Liquidity.TAKER, BUY),
        Rpt(1, 1, 0, 100, 3, 0, 0, CXL, 0, CancelReason.UNFILLED, ANY, 0, BUY),
    ]
    assert session.order(1).status == CANCELLED
    assert session.live_ids() == []


def test_fully_filled_order_has_no_remainder_report(session: Session) -> None:
    session.feed(delta(SELL, 100, 5))
    out = session.feed(new(1, BUY, 100, 5))
    assert [r.kind for r in out] == [ACK, FILL]
    assert session.order(1).status == FILLED


def test_limit_partially_filled_rests_the_remainder(session: Session) -> None:
    session.feed(delta(SELL, 100, 2), delta(BUY, 99, 4))
    out = session.feed(new(1, BUY, 100, 5))
    assert [r.kind for r in out] == [ACK, FILL]
    order = session.order(1)
    assert (order.status, order.remaining, order.queue_ahead) == (LIVE, 3, 0)
    assert session.engine.accounts[0].open_buy[0] == 3


def test_cancel_reports_remaining_qty_and_request_id(session: Session) -> None:
    session.feed(new(1, SELL, 103, 5, venue=1), trade(BUY, 103, 2, venue=1))
    out = session.feed(cancel(9, 1, ts=3, price=1, qty=1, side=BUY, venue=0))
    assert out == [Rpt(2, 1, 9, 103, 3, 0, 0, CXL, 0, CancelReason.REQUESTED, 1, 0, SELL)]
    account = session.engine.accounts[0]
    assert (account.open_sell[0], account.open_notional, account.live) == (0, 0, {})
    assert session.order(1).status == CANCELLED
    assert session.engine.resting.sells[0][1].prices == []
    assert session.feed(trade(BUY, 103, 2, venue=1)) == []


def test_replace_reports_then_rests_with_a_new_queue_position(session: Session) -> None:
    session.feed(new(1, BUY, 100, 4, venue=1))  # first in line: queue_ahead 0
    session.feed(delta(BUY, 100, 6, venue=1), delta(BUY, 101, 2, venue=1))
    assert session.order(1).queue_ahead == 0
    out = session.feed(replace(2, 1, 101, 3, side=SELL, venue=0))
    assert out == [Rpt(3, 2, 1, 101, 3, 0, 0, RPL, 0, 0, 1, 0, BUY)]
    orig, order = session.order(1), session.order(2)
    assert (orig.status, orig.replaced_by) == (REPLACED, 2)
    assert (order.status, order.venue, order.side, order.queue_ahead) == (LIVE, 1, BUY, 2)
    assert session.live_ids() == [2]
    account = session.engine.accounts[0]
    assert (account.open_buy[0], account.open_notional) == (3, 303)


def test_replacement_is_ordered_by_its_new_id(session: Session) -> None:
    session.feed(new(1, BUY, 100, 4), new(2, BUY, 100, 4, account=1))
    session.feed(replace(3, 1, 100, 4))  # same price and qty, now behind account 1's order 2
    out = session.feed(trade(SELL, 100, 5))
    assert [(r.order_id, r.account, r.qty) for r in out] == [(2, 1, 4), (3, 0, 1)]


def test_replace_sweeps_only_the_original_venue_then_rests(session: Session) -> None:
    session.feed(delta(SELL, 101, 9, venue=0), delta(SELL, 102, 2, venue=1))
    session.feed(delta(BUY, 99, 1, venue=1))
    session.feed(new(1, BUY, 99, 3, venue=ANY))  # rests at venue 1 (best bid)
    assert session.order(1).venue == 1
    out = session.feed(replace(2, 1, 102, 5))
    assert out == [
        Rpt(4, 2, 1, 102, 5, 0, 0, RPL, 0, 0, 1, 0, BUY),
        Rpt(4, 2, 0, 102, 2, 0, 0, FILL, 0, 0, 1, Liquidity.TAKER, BUY),
    ]
    assert (session.order(2).venue, session.order(2).remaining) == (1, 3)
    assert session.position() == 2 and session.cash() == -204


def test_replace_fully_filled_by_its_sweep(session: Session) -> None:
    session.feed(new(1, SELL, 105, 3), delta(BUY, 104, 5))
    out = session.feed(replace(2, 1, 104, 3))
    assert [(r.kind, r.qty) for r in out] == [(RPL, 3), (FILL, 3)]
    assert session.live_ids() == [] and session.order(2).status == FILLED


def test_market_order_record_keeps_its_collar(session: Session) -> None:
    session.feed(delta(BUY, 95, 1), delta(SELL, 105, 1, venue=1))
    out = session.feed(new(1, SELL, 0, 2, order_type=MARKET))
    assert out[0] == Rpt(2, 1, 0, 90, 2, 0, 0, ACK, 0, 0, 0, 0, SELL)
    assert out[1] == Rpt(2, 1, 0, 95, 1, 0, 0, FILL, 0, 0, 0, Liquidity.TAKER, SELL)
    assert out[2] == Rpt(2, 1, 0, 90, 1, 0, 0, CXL, 0, CancelReason.UNFILLED, 0, 0, SELL)
    order = session.order(1)
    assert (order.order_type, order.price, order.status) == (MARKET, 90, CANCELLED)


def test_every_accepted_order_keeps_its_record(session: Session) -> None:
    session.feed(
        delta(SELL, 100, 1),
        new(1, BUY, 100, 1),  # filled
        new(2, BUY, 90, 1, order_type=IOC),  # cancelled unfilled
        new(3, BUY, 90, 1),  # live, then replaced
        replace(4, 3, 91, 1),
        new(5, BUY, 10**6, 1),  # rejected: never an order
    )
    orders = session.engine.accounts[0].orders
    assert {k: v.status for k, v in orders.items()} == {
        1: FILLED,
        2: CANCELLED,
        3: REPLACED,
        4: LIVE,
    }
    assert session.engine.accounts[0].used_ids == {1, 2, 3, 4, 5}
