"""The loss check and kill switch: rule-0, post-sweep and trade-caused trips, mass cancel."""

from __future__ import annotations

import pytest
from tests.hotpath_asyncio.support import (
    ANY,
    BUY,
    IOC,
    SELL,
    Rpt,
    Session,
    cancel,
    delta,
    instrument,
    make_meta,
    new,
    replace,
    trade,
)

from hotpath_format import CancelReason, Liquidity, Reason, ReportKind, Stage

ACK = ReportKind.ACK
FILL = ReportKind.FILL
CXL = ReportKind.CANCELLED
HALT = ReportKind.HALT
KILL = CancelReason.KILL_SWITCH
TAKER = Liquidity.TAKER


def halted_session(band_bps: int = 5000, max_loss: int = 100) -> Session:
    meta = make_meta(
        instruments=[instrument(band_bps=band_bps)], accounts=[{"max_loss": max_loss}, {}]
    )
    return Session(meta)


def test_rule_zero_trip_halts_cancels_then_rejects() -> None:
    session = halted_session()
    session.feed(delta(BUY, 99, 10, venue=1), delta(SELL, 100, 10), delta(SELL, 101, 10, venue=2))
    out = session.feed(new(1, BUY, 100, 10, order_type=IOC))
    assert [r.kind for r in out] == [ACK, FILL]  # PnL 0 at the new mid of 100: no trip
    session.feed(new(4, SELL, 110, 1), new(2, BUY, 95, 1), new(3, BUY, 96, 1))
    # The market falls: reference 85, PnL = −1000 + 850 = −150 < −100.
    session.feed(
        delta(BUY, 99, 0, venue=1),
        delta(SELL, 101, 0, venue=2),
        delta(BUY, 80, 5, venue=1),
        delta(SELL, 90, 5, venue=2),
    )
    out = session.feed(new(5, BUY, 85, 1, ts=77))
    assert out == [
        Rpt(11, 5, 0, 0, 0, 0, 0, HALT, 0, 0, 255, 0, 0),
        Rpt(11, 2, 0, 95, 1, 0, 0, CXL, 0, KILL, 0, 0, BUY),
        Rpt(11, 3, 0, 96, 1, 0, 0, CXL, 0, KILL, 0, 0, BUY),
        Rpt(11, 4, 0, 110, 1, 0, 0, CXL, 0, KILL, 0, 0, SELL),
        Rpt(11, 5, 0, 85, 1, 0, 0, ReportKind.REJECT, Stage.RISK, Reason.TRADING_HALTED, 0, 0, BUY),
    ]
    account = session.engine.accounts[0]
    assert account.halted and account.live == {}
    assert (account.open_buy[0], account.open_sell[0], account.open_notional) == (0, 0, 0)
    assert session.engine.resting.buys[0][0].prices == []

    # CANCEL still passes risk but finds nothing live.
    assert session.feed(cancel(6, 2))[0].reason == Reason.UNKNOWN_ORDER
    # No second HALT, and it never resets, even when PnL recovers (crossed mid 105).
    session.feed(delta(BUY, 120, 5, venue=1))
    assert session.engine.books.reference(0) == 105
    assert session.cash() + session.position() * 105 == 50
    for rid in (7, 8):
        out = session.feed(new(rid, BUY, 105, 1))
        assert [(r.kind, r.reason) for r in out] == [(ReportKind.REJECT, Reason.TRADING_HALTED)]
    # Replacing needs a live order, which a halted account no longer has.
    assert session.feed(replace(9, 2, 100, 1))[0].reason == Reason.UNKNOWN_ORDER
    # Other accounts are unaffected.
    assert session.feed(new(1, BUY, 100, 1, account=1))[0].kind == ACK


def test_loss_exactly_at_the_limit_does_not_trip() -> None:
    session = halted_session()
    session.feed(delta(BUY, 80, 5, venue=1), delta(SELL, 120, 5, venue=2), delta(SELL, 100, 10))
    session.feed(new(1, BUY, 100, 10, order_type=IOC))  # PnL 0 at the mid of 100
    session.feed(delta(SELL, 120, 0, venue=2), delta(SELL, 100, 1, venue=2))
    assert session.feed(new(2, BUY, 80, 1))[0].kind == ACK  # mid 90: PnL −100, not < −100
    session.feed(delta(SELL, 98, 1, venue=2))  # mid 89: PnL −110
    out = session.feed(new(3, BUY, 80, 1))
    assert [(r.kind, r.order_id) for r in out] == [(HALT, 3), (CXL, 2), (ReportKind.REJECT, 3)]


def test_post_sweep_trip_cancels_the_limit_remainder_with_kill_switch() -> None:
    session = halted_session(band_bps=10_000)
    session.feed(delta(BUY, 90, 5, venue=1), delta(SELL, 100, 5), delta(SELL, 140, 5, venue=2))
    session.feed(new(9, SELL, 180, 1), new(1, BUY, 80, 1, venue=1))
    out = session.feed(new(5, BUY, 140, 12, venue=ANY))
    # Sweep 5 @ 100 and 5 @ 140; no asks left and no trade: no reference, PnL = −1200.
    assert out == [
        Rpt(5, 5, 0, 140, 12, 0, 0, ACK, 0, 0, ANY, 0, BUY),
        Rpt(5, 5, 0, 100, 5, 0, 0, FILL, 0, 0, 0, TAKER, BUY),
        Rpt(5, 5, 0, 140, 5, 0, 0, FILL, 0, 0, 2, TAKER, BUY),
        Rpt(5, 5, 0, 0, 0, 0, 0, HALT, 0, 0, 255, 0, 0),
        Rpt(5, 1, 0, 80, 1, 0, 0, CXL, 0, KILL, 1, 0, BUY),  # ascending id: 1 before 9
        Rpt(5, 9, 0, 180, 1, 0, 0, CXL, 0, KILL, 0, 0, SELL),
        Rpt(5, 5, 0, 140, 2, 0, 0, CXL, 0, KILL, ANY, 0, BUY),
    ]
    assert session.live_ids() == []


def test_post_sweep_trip_leaves_an_ioc_remainder_unfilled() -> None:
    session = halted_session(band_bps=10_000)
    session.feed(delta(BUY, 90, 5, venue=1), delta(SELL, 100, 5), delta(SELL, 140, 5))
    out = session.feed(new(5, BUY, 140, 12, order_type=IOC))
    assert [(r.kind, r.reason, r.qty) for r in out] == [
        (ACK, 0, 12),
        (FILL, 0, 5),
        (FILL, 0, 5),
        (HALT, 0, 0),
        (CXL, CancelReason.UNFILLED, 2),
    ]


def test_post_sweep_trip_on_replace() -> None:
    session = halted_session(band_bps=10_000)
    session.feed(delta(BUY, 90, 5, venue=1), delta(SELL, 100, 5), delta(SELL, 140, 5))
    session.feed(new(1, BUY, 95, 12), new(2, SELL, 180, 1, venue=2))
    out = session.feed(replace(3, 1, 140, 12))
    assert out == [
        Rpt(5, 3, 1, 140, 12, 0, 0, ReportKind.REPLACED, 0, 0, 0, 0, BUY),
        Rpt(5, 3, 0, 100, 5, 0, 0, FILL, 0, 0, 0, TAKER, BUY),
        Rpt(5, 3, 0, 140, 5, 0, 0, FILL, 0, 0, 0, TAKER, BUY),
        Rpt(5, 3, 0, 0, 0, 0, 0, HALT, 0, 0, 255, 0, 0),
        Rpt(5, 2, 0, 180, 1, 0, 0, CXL, 0, KILL, 2, 0, SELL),  # the original is not live
        Rpt(5, 3, 0, 140, 2, 0, 0, CXL, 0, KILL, 0, 0, BUY),
    ]


def test_trade_fills_trip_each_losing_account_in_account_order() -> None:
    meta = make_meta(accounts=[{"max_loss": 50}, {"max_loss": 50}, {}])
    session = Session(meta)
    session.feed(
        new(2, BUY, 100, 3, account=0),
        new(1, BUY, 100, 3, account=1),
        new(7, SELL, 200, 1, account=0),
        new(8, SELL, 200, 1, account=1),
        new(3, BUY, 100, 3, account=2),
        delta(BUY, 60, 1, venue=1),
        delta(SELL, 80, 1, venue=2),  # reference 70
    )
    out = session.feed(trade(SELL, 100, 8, instrument=0))
    assert out == [
        Rpt(7, 1, 0, 100, 3, 0, 1, FILL, 0, 0, 0, Liquidity.MAKER, BUY),
        Rpt(7, 2, 0, 100, 3, 0, 0, FILL, 0, 0, 0, Liquidity.MAKER, BUY),
        Rpt(7, 3, 0, 100, 2, 0, 2, FILL, 0, 0, 0, Liquidity.MAKER, BUY),
        # Account 0 then account 1, though account 1 filled first; account 2 is within its limit.
        Rpt(7, 0, 0, 0, 0, 0, 0, HALT, 0, 0, 255, 0, 0),
        Rpt(7, 7, 0, 200, 1, 0, 0, CXL, 0, KILL, 0, 0, SELL),
        Rpt(7, 0, 0, 0, 0, 0, 1, HALT, 0, 0, 255, 0, 0),
        Rpt(7, 8, 0, 200, 1, 0, 1, CXL, 0, KILL, 0, 0, SELL),
    ]
    assert [a.halted for a in session.engine.accounts] == [True, True, False]
    assert session.live_ids(2) == [3]


def test_trade_loss_checks_follow_account_id_not_fill_or_hash_order() -> None:
    meta = make_meta(accounts=[{"max_loss": 50}] * 9)
    session = Session(meta)
    # Account 8 fills first (lower order id); {8, 1} also iterates 8 first as a Python set.
    session.feed(new(1, BUY, 100, 3, account=8), new(2, BUY, 100, 3, account=1))
    session.feed(delta(BUY, 60, 1, venue=1), delta(SELL, 80, 1, venue=2))
    out = session.feed(trade(SELL, 100, 6))
    assert [(r.kind, r.account) for r in out] == [(FILL, 8), (FILL, 1), (HALT, 1), (HALT, 8)]


@pytest.mark.parametrize(("bid", "trips"), [(80, False), (78, True)])
def test_post_sweep_check_trips_only_below_minus_max_loss(bid: int, trips: bool) -> None:
    session = halted_session(band_bps=10_000)
    session.feed(delta(BUY, bid, 1, venue=1), delta(SELL, 100, 10), delta(SELL, 100, 1, venue=2))
    out = session.feed(new(1, BUY, 100, 10, order_type=IOC))
    # Mid after the sweep: (80 + 100) // 2 = 90 → PnL exactly −100; with 78: 89 → −110.
    assert (HALT in [r.kind for r in out]) is trips
    assert session.engine.accounts[0].halted is trips
