"""Stage 1: every validation reason, rule order, used ids and the MARKET → IOC conversion."""

from __future__ import annotations

import pytest
from tests.hotpath_asyncio.support import (
    ANY,
    BUY,
    IOC,
    LIMIT,
    MARKET,
    SELL,
    Event,
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

from hotpath_format import CancelReason, Reason, ReportKind, Stage


def rejected(index: int, event: Event, reason: Reason) -> Rpt:
    """The REJECT a request should get: its own fields, as given."""
    _ts, rid, orig, price, qty, ins, acct, _kind, side, _type, venue = event
    return Rpt(
        index, rid, orig, price, qty, ins, acct, ReportKind.REJECT, reason.stage, reason, venue, 0,
        side,
    )  # fmt: skip


def only_report(session: Session, event: Event) -> Rpt:
    out = session.feed(event)
    assert len(out) == 1, out
    return out[0]


def test_reject_report_carries_every_request_field_as_given(session: Session) -> None:
    event = (7, 11, 3, 250, 40, 9, 1, 3, 2, 1, 200)  # NEW on unknown instrument 9
    assert session.feed(event) == [
        Rpt(
            event_index=0,
            order_id=11,
            ref_id=3,
            price=250,
            qty=40,
            instrument=9,
            account=1,
            kind=2,
            stage=1,
            reason=1,
            venue=200,
            liquidity=0,
            side=2,
        )
    ]


@pytest.mark.parametrize(
    "event",
    [
        new(1, BUY, 100, 1, instrument=1),
        cancel(1, 5, instrument=1),
        replace(1, 5, 100, 1, instrument=1),
        new(1, BUY, 100, 1, instrument=1, account=7, venue=99),  # first failing rule wins
    ],
)
def test_unknown_instrument(session: Session, event: Event) -> None:
    assert only_report(session, event) == rejected(0, event, Reason.UNKNOWN_INSTRUMENT)


@pytest.mark.parametrize(
    "event",
    [
        new(1, BUY, 100, 1, account=2),
        cancel(1, 5, account=2),
        replace(1, 5, 100, 1, account=65535),
        new(1, 0, -5, 0, account=2, venue=99),
    ],
)
def test_unknown_account(session: Session, event: Event) -> None:
    assert only_report(session, event) == rejected(0, event, Reason.UNKNOWN_ACCOUNT)


def test_unknown_venue_applies_to_new_only(session: Session) -> None:
    bad = new(1, BUY, 100, 1, venue=3)
    assert only_report(session, bad) == rejected(0, bad, Reason.UNKNOWN_VENUE)
    assert only_report(session, new(2, BUY, 100, 1, venue=ANY)).kind == ReportKind.ACK
    assert only_report(session, new(3, BUY, 100, 1, venue=2)).kind == ReportKind.ACK
    # CANCEL and REPLACE ignore their venue (and side) fields.
    out = session.feed(cancel(4, 2, venue=77, side=9))
    assert [r.kind for r in out] == [ReportKind.CANCELLED]
    out = session.feed(replace(5, 3, 101, 1, venue=77, side=9))
    assert [r.kind for r in out] == [ReportKind.REPLACED]
    assert out[0].side == BUY and out[0].venue == 2


@pytest.mark.parametrize(
    ("side", "order_type"), [(0, LIMIT), (3, LIMIT), (255, IOC), (BUY, 0), (SELL, 4), (BUY, 255)]
)
def test_invalid_request(session: Session, side: int, order_type: int) -> None:
    event = new(1, side, 100, 1, order_type=order_type)
    assert only_report(session, event) == rejected(0, event, Reason.INVALID_REQUEST)


@pytest.mark.parametrize("qty", [0, -10, 15, 1])
def test_invalid_qty(qty: int) -> None:
    session = Session(make_meta(instruments=[instrument(lot_size=10)]))
    for event in (new(1, BUY, 100, qty), replace(2, 9, 100, qty)):
        out = session.feed(event)
        assert out == [rejected(len(session.events) - 1, event, Reason.INVALID_QTY)]


def test_qty_too_large_boundary(session: Session) -> None:
    event = new(1, BUY, 100, 1001)
    assert only_report(session, event) == rejected(0, event, Reason.QTY_TOO_LARGE)
    assert only_report(session, new(2, BUY, 100, 1000)).kind == ReportKind.ACK
    event = replace(3, 2, 100, 1001)
    assert only_report(session, event) == rejected(2, event, Reason.QTY_TOO_LARGE)


@pytest.mark.parametrize("price", [0, -5, 102, 1005])
def test_invalid_price_for_limit_ioc_and_replace(price: int) -> None:
    session = Session(make_meta(instruments=[instrument(tick_size=5, max_price=1000)]))
    for event in (
        new(1, BUY, price, 1),
        new(2, SELL, price, 1, order_type=IOC),
        replace(3, 9, price, 1),
    ):
        out = session.feed(event)
        assert out == [rejected(len(session.events) - 1, event, Reason.INVALID_PRICE)]


def test_price_at_max_price_and_on_tick_is_valid() -> None:
    session = Session(make_meta(instruments=[instrument(tick_size=5, max_price=1000)]))
    assert only_report(session, new(1, SELL, 1000, 1)).kind == ReportKind.ACK
    assert only_report(session, new(2, SELL, 5, 1)).kind == ReportKind.ACK


def test_market_order_price_field_is_not_validated(session: Session) -> None:
    session.feed(delta(BUY, 99, 5), delta(SELL, 101, 5))
    out = session.feed(new(1, BUY, -7, 1, order_type=MARKET))
    assert out[0].kind == ReportKind.ACK


def test_duplicate_id_covers_accepted_and_rejected_requests(session: Session) -> None:
    session.feed(new(1, BUY, 100, 1))
    dup = new(1, SELL, 100, 1)
    assert only_report(session, dup) == rejected(1, dup, Reason.DUPLICATE_ID)
    # A rejected request's id is used too, even when rejected for an unknown instrument.
    session.feed(new(2, BUY, 100, 1, instrument=5))
    dup = new(2, BUY, 100, 1)
    assert only_report(session, dup) == rejected(3, dup, Reason.DUPLICATE_ID)
    # ... and a request rejected as DUPLICATE_ID keeps the id used (it already was).
    dup = cancel(2, 1)
    assert only_report(session, dup) == rejected(4, dup, Reason.DUPLICATE_ID)
    # Ids are per account.
    assert only_report(session, new(1, BUY, 100, 1, account=1)).kind == ReportKind.ACK


def test_unknown_account_does_not_use_the_id(session: Session) -> None:
    session.feed(new(1, BUY, 100, 1, account=9))
    assert only_report(session, new(1, BUY, 100, 1, account=0)).kind == ReportKind.ACK


def test_cancel_and_replace_ids_become_used(session: Session) -> None:
    session.feed(new(1, BUY, 100, 2), cancel(2, 1), new(3, BUY, 100, 2), replace(4, 3, 99, 2))
    for rid in (2, 4):
        event = new(rid, BUY, 100, 1)
        assert session.feed(event)[-1] == rejected(
            len(session.events) - 1, event, Reason.DUPLICATE_ID
        )


def test_duplicate_id_precedes_unknown_order(session: Session) -> None:
    session.feed(new(1, BUY, 100, 1))
    event = cancel(1, 42)
    assert only_report(session, event) == rejected(1, event, Reason.DUPLICATE_ID)


def test_unknown_order_cases() -> None:
    meta = make_meta(instruments=[instrument(), instrument()])
    session = Session(meta)
    session.feed(
        delta(SELL, 101, 3),
        new(1, BUY, 100, 1),  # live
        new(2, BUY, 101, 3),  # fully filled by the sweep
        new(3, BUY, 99, 1, order_type=IOC),  # never live
        new(4, BUY, 98, 1),
        cancel(5, 4),  # cancelled
        new(6, BUY, 100, 1, account=1),  # other account's
    )
    n = len(session.events)
    cases = [
        cancel(10, 99),  # never existed
        cancel(11, 2),
        cancel(12, 3),
        cancel(13, 4),
        cancel(14, 6),
        cancel(15, 1, instrument=1),  # live, but on another instrument
        replace(16, 2, 100, 1),
        replace(17, 1, 100, 1, instrument=1),
    ]
    for i, event in enumerate(cases):
        assert session.feed(event) == [rejected(n + i, event, Reason.UNKNOWN_ORDER)]
    assert session.live_ids() == [1]


def test_no_reference_price_for_market_only(session: Session) -> None:
    event = new(1, BUY, 0, 1, order_type=MARKET)
    assert only_report(session, event) == rejected(0, event, Reason.NO_REFERENCE_PRICE)
    # A LIMIT without a reference is fine (and skips the price band).
    assert only_report(session, new(2, BUY, 50_000, 1)).kind == ReportKind.ACK


def market_session(
    *, tick: int = 1, band_bps: int = 1000, max_price: int = 100_000, bid: int, ask: int
) -> Session:
    meta = make_meta(
        instruments=[instrument(tick_size=tick, band_bps=band_bps, max_price=max_price)]
    )
    session = Session(meta)
    session.feed(delta(BUY, bid, 1, venue=1), delta(SELL, ask, 1, venue=2))
    return session


@pytest.mark.parametrize(
    ("tick", "band_bps", "bid", "ask", "side", "collar"),
    [
        (1, 1000, 990, 1010, BUY, 1100),  # ref 1000, off 100
        (1, 1000, 990, 1010, SELL, 900),
        (7, 1000, 990, 1010, BUY, 1099),  # 1100 rounded down to the tick grid
        (7, 1000, 990, 1010, SELL, 903),  # 900 rounded up to the tick grid
        (1, 15, 1000, 1003, BUY, 1002),  # ref floor(2003/2)=1001, off floor(1.5015)=1
        (1, 15, 1000, 1003, SELL, 1000),
        (5, 100, 1000, 1003, BUY, 1010),  # ref 1001, off 10: 1011 down to 1010
        (5, 100, 1000, 1003, SELL, 995),  # 991 up to 995
    ],
)
def test_market_converts_to_ioc_at_the_collar(
    tick: int, band_bps: int, bid: int, ask: int, side: int, collar: int
) -> None:
    session = market_session(tick=tick, band_bps=band_bps, bid=bid, ask=ask)
    ack, *rest = session.feed(new(1, side, 0, 3, order_type=MARKET, venue=0))
    assert ack == Rpt(2, 1, 0, collar, 3, 0, 0, ReportKind.ACK, 0, 0, 0, 0, side)
    # Nothing on venue 0 to take: the IOC remainder is cancelled at the collar price.
    assert rest == [
        Rpt(2, 1, 0, collar, 3, 0, 0, ReportKind.CANCELLED, 0, CancelReason.UNFILLED, 0, 0, side)
    ]


def test_market_collar_uses_last_trade_without_both_sides() -> None:
    meta = make_meta(instruments=[instrument(band_bps=500)])
    session = Session(meta)
    session.feed(trade(BUY, 2000, 1), delta(BUY, 1000, 1))  # only a bid: last trade rules
    ack = session.feed(new(1, BUY, 0, 1, order_type=MARKET))[0]
    assert ack.price == 2100


@pytest.mark.parametrize(
    ("band_bps", "tick", "max_price", "bid", "ask", "side"),
    [
        (10_000, 1, 100_000, 99, 101, SELL),  # r − off = 0
        (20_000, 1, 100_000, 99, 101, SELL),  # r − off < 0
        (1000, 1, 1099, 990, 1010, BUY),  # 1100 > max_price
        (0, 100, 100_000, 30, 50, BUY),  # 40 rounds down to 0
        (0, 7, 1000, 998, 1000, SELL),  # 999 rounds up to 1001 > max_price
    ],
)
def test_market_collar_outside_valid_prices_is_invalid_price(
    band_bps: int, tick: int, max_price: int, bid: int, ask: int, side: int
) -> None:
    session = market_session(tick=tick, band_bps=band_bps, max_price=max_price, bid=bid, ask=ask)
    event = new(1, side, 0, 1, order_type=MARKET)
    out = session.feed(event)
    assert out == [rejected(2, event, Reason.INVALID_PRICE)]
    assert out[0].stage == Stage.VALIDATION


def test_market_collar_at_max_price_is_valid() -> None:
    session = market_session(band_bps=1000, max_price=1100, bid=990, ask=1010)
    assert session.feed(new(1, BUY, 0, 1, order_type=MARKET))[0].kind == ReportKind.ACK


def test_market_order_sweeps_up_to_its_collar() -> None:
    meta = make_meta(instruments=[instrument(band_bps=200)])  # 2%
    session = Session(meta)
    session.feed(delta(BUY, 99, 5), delta(SELL, 101, 2), delta(SELL, 102, 2), delta(SELL, 103, 2))
    # ref 100, off 2: collar 102; the 103 level is out of reach.
    out = session.feed(new(1, BUY, 0, 6, order_type=MARKET, venue=ANY))
    assert [(r.kind, r.price, r.qty, r.reason) for r in out] == [
        (ReportKind.ACK, 102, 6, 0),
        (ReportKind.FILL, 101, 2, 0),
        (ReportKind.FILL, 102, 2, 0),
        (ReportKind.CANCELLED, 102, 2, CancelReason.UNFILLED),
    ]
    assert out[-1].venue == ANY
