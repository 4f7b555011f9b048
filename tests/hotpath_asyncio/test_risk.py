"""Stage 2: every risk reason, rule order, REPLACE exclusions and the throttle window."""

from __future__ import annotations

from typing import Any

import pytest
from tests.hotpath_asyncio.support import (
    BUY,
    IOC,
    MARKET,
    SELL,
    Rpt,
    Session,
    cancel,
    delta,
    instrument,
    make_meta,
    new,
    replace,
)

from hotpath_format import Reason, ReportKind, Stage


def risk_session(**limits: Any) -> Session:
    """Account 0 has ``limits``; the reference is 100 (bid 99 on venue 1, ask 101 on venue 2)
    so orders on venue 0 never cross anything unless a test adds levels there."""
    session = Session(make_meta(accounts=[limits, {}]))
    session.feed(delta(BUY, 99, 50, venue=1), delta(SELL, 101, 50, venue=2))
    return session


def outcome(out: list[Rpt]) -> tuple[int, int]:
    """(kind, reason) of a request's last report, the REJECT if it was rejected."""
    return out[-1].kind, out[-1].reason


ACK = (ReportKind.ACK, 0)


def risk_reject(reason: Reason) -> tuple[int, int]:
    return ReportKind.REJECT, reason


def test_risk_reject_fields() -> None:
    session = risk_session(max_order_notional=100)
    out = session.feed(new(5, SELL, 100, 2, venue=1, ts=9))
    assert out == [
        Rpt(2, 5, 0, 100, 2, 0, 0, ReportKind.REJECT, Stage.RISK, Reason.MAX_NOTIONAL, 1, 0, SELL)
    ]


def test_price_band_boundaries() -> None:
    session = risk_session()
    # ref 100, band 10%: |price − 100| × 10000 > 1000 × 100 rejects.
    assert outcome(session.feed(new(1, BUY, 110, 1))) == ACK
    assert outcome(session.feed(new(2, BUY, 111, 1))) == risk_reject(Reason.PRICE_BAND)
    assert outcome(session.feed(new(3, SELL, 90, 1))) == ACK
    assert outcome(session.feed(new(4, SELL, 89, 1))) == risk_reject(Reason.PRICE_BAND)


def test_price_band_skipped_without_reference() -> None:
    session = Session(make_meta())
    assert outcome(session.feed(new(1, BUY, 99_999, 1))) == ACK


def test_max_notional_boundary() -> None:
    session = risk_session(max_order_notional=1000)
    assert outcome(session.feed(new(1, BUY, 100, 10))) == ACK
    assert outcome(session.feed(new(2, BUY, 100, 11))) == risk_reject(Reason.MAX_NOTIONAL)


def test_position_limit_counts_position_and_open_qty() -> None:
    session = risk_session(max_position=[10])
    session.feed(delta(SELL, 100, 4))  # venue 0
    assert outcome(session.feed(new(1, BUY, 100, 4, order_type=IOC))) == (ReportKind.FILL, 0)
    assert session.position() == 4
    assert outcome(session.feed(new(2, BUY, 95, 4))) == ACK  # rests: open buy 4
    assert outcome(session.feed(new(3, BUY, 95, 3))) == risk_reject(Reason.POSITION_LIMIT)
    assert outcome(session.feed(new(4, BUY, 95, 2))) == ACK  # 4 + 4 + 2 = 10
    # SELL side: position − open sell − qty must stay ≥ −10; open buys do not count.
    assert outcome(session.feed(new(5, SELL, 105, 14))) == ACK
    assert outcome(session.feed(new(6, SELL, 105, 1))) == risk_reject(Reason.POSITION_LIMIT)


def test_exposure_limit_values_positions_at_reference() -> None:
    session = risk_session(max_gross_notional=1000)
    session.feed(delta(BUY, 99, 3))  # venue 0
    assert outcome(session.feed(new(1, SELL, 99, 3, order_type=IOC))) == (ReportKind.FILL, 0)
    assert session.position() == -3  # |−3 × 100| = 300
    assert outcome(session.feed(new(2, BUY, 100, 4))) == ACK  # 300 + 400 open
    assert outcome(session.feed(new(3, BUY, 100, 3))) == ACK  # 300 + 400 + 300 = 1000
    assert outcome(session.feed(new(4, BUY, 90, 1))) == risk_reject(Reason.EXPOSURE_LIMIT)


def test_exposure_ignores_instruments_without_reference() -> None:
    meta = make_meta(
        instruments=[instrument(), instrument()], accounts=[{"max_gross_notional": 500}]
    )
    session = Session(meta)
    session.feed(delta(SELL, 100, 4, instrument=1))
    session.feed(new(1, BUY, 100, 4, instrument=1, order_type=IOC))
    assert session.position(instrument=1) == 4  # and the ask is gone: no reference
    assert outcome(session.feed(new(2, BUY, 100, 5))) == ACK  # 0 + 500
    session.feed(delta(BUY, 100, 1, instrument=1), delta(SELL, 102, 1, instrument=1))
    assert outcome(session.feed(new(3, BUY, 1, 1))) == risk_reject(Reason.EXPOSURE_LIMIT)


def test_rule_order() -> None:
    session = risk_session(
        max_order_notional=1000, max_position=[5], max_gross_notional=500, rate_limit_count=0
    )
    assert outcome(session.feed(new(1, BUY, 200, 10))) == risk_reject(Reason.PRICE_BAND)
    assert outcome(session.feed(new(2, BUY, 100, 11))) == risk_reject(Reason.MAX_NOTIONAL)
    assert outcome(session.feed(new(3, BUY, 100, 6))) == risk_reject(Reason.POSITION_LIMIT)
    assert outcome(session.feed(new(4, BUY, 101, 5))) == risk_reject(Reason.EXPOSURE_LIMIT)
    assert outcome(session.feed(new(5, BUY, 100, 5))) == risk_reject(Reason.RATE_LIMIT)
    # Risk rejects still use the id.
    assert outcome(session.feed(new(5, BUY, 100, 1))) == (ReportKind.REJECT, Reason.DUPLICATE_ID)


def test_rate_limit_window() -> None:
    session = risk_session(rate_limit_count=2, rate_limit_window_ns=100)
    assert outcome(session.feed(new(1, BUY, 95, 1, ts=0))) == ACK
    assert outcome(session.feed(new(2, BUY, 95, 1, ts=50))) == ACK
    assert outcome(session.feed(new(3, BUY, 95, 1, ts=99))) == risk_reject(Reason.RATE_LIMIT)
    # The window is (ts − 100, ts]: the entry at exactly ts − 100 has left it.
    assert outcome(session.feed(new(4, BUY, 95, 1, ts=100))) == ACK
    assert outcome(session.feed(new(5, BUY, 95, 1, ts=149))) == risk_reject(Reason.RATE_LIMIT)
    # Rejected requests never entered the window, so only 100 remains at ts 150.
    assert outcome(session.feed(new(6, BUY, 95, 1, ts=150))) == ACK


def test_rate_limit_counts_replace_not_cancel_or_rejects() -> None:
    session = risk_session(rate_limit_count=2, rate_limit_window_ns=1000, max_order_notional=500)
    assert outcome(session.feed(new(1, BUY, 95, 1, ts=1))) == ACK
    assert outcome(session.feed(new(2, BUY, 95, 9, ts=2))) == risk_reject(Reason.MAX_NOTIONAL)
    assert outcome(session.feed(new(3, BUY, 95, 1, ts=2, account=1))) == ACK  # other account
    assert outcome(session.feed(cancel(4, 1, ts=3))) == (ReportKind.CANCELLED, 1)
    assert outcome(session.feed(new(5, BUY, 95, 1, ts=4))) == ACK
    assert outcome(session.feed(replace(6, 5, 96, 1, ts=5))) == risk_reject(Reason.RATE_LIMIT)
    assert outcome(session.feed(replace(7, 5, 96, 1, ts=1001))) == (ReportKind.REPLACED, 0)
    assert outcome(session.feed(new(8, BUY, 95, 1, ts=1002))) == risk_reject(Reason.RATE_LIMIT)


def test_rate_limit_count_zero_rejects_everything() -> None:
    session = risk_session(rate_limit_count=0)
    assert outcome(session.feed(new(1, BUY, 95, 1, ts=10**12))) == risk_reject(Reason.RATE_LIMIT)


def test_max_open_orders_applies_to_new_limit_only() -> None:
    session = risk_session(max_open_orders=2)
    assert outcome(session.feed(new(1, BUY, 95, 1))) == ACK
    assert outcome(session.feed(new(2, BUY, 95, 1))) == ACK
    assert outcome(session.feed(new(3, BUY, 95, 1))) == risk_reject(Reason.MAX_OPEN_ORDERS)
    assert outcome(session.feed(new(4, BUY, 95, 1, order_type=IOC)))[0] == ReportKind.CANCELLED
    assert outcome(session.feed(new(5, SELL, 0, 1, order_type=MARKET)))[0] == ReportKind.CANCELLED
    assert outcome(session.feed(replace(6, 1, 94, 1))) == (ReportKind.REPLACED, 0)
    assert session.live_ids() == [2, 6]
    session.feed(cancel(7, 2))
    assert outcome(session.feed(new(8, BUY, 95, 1))) == ACK


def test_replace_leaves_original_out_of_position_and_exposure() -> None:
    session = risk_session(max_position=[10], max_gross_notional=1000)
    assert outcome(session.feed(new(1, BUY, 100, 8))) == ACK
    assert outcome(session.feed(replace(2, 1, 100, 10))) == (ReportKind.REPLACED, 0)
    assert outcome(session.feed(replace(3, 2, 100, 11))) == risk_reject(Reason.POSITION_LIMIT)
    assert outcome(session.feed(replace(4, 2, 101, 10))) == risk_reject(Reason.EXPOSURE_LIMIT)
    assert session.live_ids() == [2]


def test_replace_is_checked_on_the_original_side() -> None:
    session = risk_session(max_position=[10])
    session.feed(delta(BUY, 99, 5))  # venue 0
    session.feed(new(1, SELL, 99, 5, order_type=IOC))
    assert session.position() == -5
    assert outcome(session.feed(new(2, SELL, 105, 3))) == ACK
    # As a SELL: −5 − (3 − 3) − 6 = −11 < −10, whatever side the request says.
    event = replace(3, 2, 105, 6, side=BUY, venue=4)
    out = session.feed(event)
    assert out == [
        Rpt(5, 3, 2, 105, 6, 0, 0, ReportKind.REJECT, Stage.RISK, Reason.POSITION_LIMIT, 4, 0, BUY)
    ]
    assert outcome(session.feed(replace(4, 2, 105, 5, side=BUY))) == (ReportKind.REPLACED, 0)


@pytest.mark.parametrize("price", [111, 89])
def test_replace_price_band_uses_new_price(price: int) -> None:
    session = risk_session()
    session.feed(new(1, BUY, 100, 1))
    assert outcome(session.feed(replace(2, 1, price, 1))) == risk_reject(Reason.PRICE_BAND)
