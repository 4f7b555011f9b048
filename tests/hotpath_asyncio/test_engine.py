"""Dispatch: ignored market data, refused unknown kinds, results, replay."""

from __future__ import annotations

import numpy as np
import pytest
from tests.hotpath_asyncio.support import (
    BUY,
    SELL,
    Event,
    Session,
    delta,
    make_meta,
    new,
    to_records,
    trade,
)

from hotpath_asyncio import Engine, replay
from hotpath_format import EVENT_DTYPE, REPORT_DTYPE, FormatError, ReportKind, report_digest


def book_state(session: Session) -> object:
    books = session.engine.books
    sides = [(s.prices[:], dict(s.qty)) for per in (books.bids, books.asks) for v in per for s in v]
    return sides, books.last_trade[:], [books.reference(i) for i in range(len(books.bids))]


@pytest.mark.parametrize(
    "event",
    [
        delta(BUY, 100, 5, venue=3),  # unknown venue
        delta(BUY, 100, 5, venue=255),  # ANY is not a venue for market data
        delta(BUY, 100, 5, instrument=1),
        delta(0, 100, 5),
        delta(3, 100, 5),
        delta(BUY, 0, 5),
        delta(SELL, -100, 5),
        delta(BUY, 100, -1),
        trade(SELL, 100, 0),
        trade(SELL, 100, -3),
        trade(0, 100, 3),
        trade(SELL, 100, 3, venue=3),
        trade(SELL, 100, 3, instrument=1),
        trade(SELL, 0, 3),
    ],
)
def test_malformed_market_data_is_ignored_entirely(session: Session, event: Event) -> None:
    session.feed(delta(BUY, 100, 5), delta(SELL, 102, 5), new(1, BUY, 100, 4))
    order = session.order(1)
    before = book_state(session), order.queue_ahead, order.remaining
    assert session.feed(event) == []
    assert (book_state(session), order.queue_ahead, order.remaining) == before


def test_valid_market_data_produces_no_reports_without_fills(session: Session) -> None:
    assert session.feed(delta(BUY, 100, 5), trade(SELL, 100, 3), delta(BUY, 100, 0)) == []
    assert session.engine.books.last_trade[0] == 100


@pytest.mark.parametrize("kind", [0, 6, 31, 32, 63, 255])
def test_unknown_kinds_are_refused_as_the_file_reader_refuses_them(
    session: Session, kind: int
) -> None:
    event = (0, 1, 0, 100, 5, 0, 0, kind, BUY, 1, 0)
    with pytest.raises(FormatError, match=f"event 0: unknown event kind {kind}$"):
        session.feed(event)
    assert session.engine.accounts[0].used_ids == set()
    assert session.feed(new(1, BUY, 100, 5))[0].kind == ReportKind.ACK


def test_report_array_and_digest(session: Session) -> None:
    session.feed(delta(SELL, 100, 2), new(2**64 - 1, BUY, 100, 3, venue=255), new(1, 0, -5, 1))
    arr = session.engine.report_array()
    assert arr.dtype == REPORT_DTYPE
    assert arr["seq"].tolist() == [1, 2, 3]
    assert arr["event_index"].tolist() == [1, 1, 2]
    assert arr["order_id"].tolist() == [2**64 - 1, 2**64 - 1, 1]
    assert arr["kind"].tolist() == [1, 3, 2]
    assert arr["venue"].tolist() == [255, 0, 0]
    assert arr["price"].tolist()[-1] == -5
    assert bytes(arr.tobytes()[58:64]) == b"\0" * 6
    assert session.engine.digest() == report_digest(arr)
    assert list(map(tuple, arr[["event_index", "order_id", "ref_id"]].tolist())) == [
        r[:3] for r in session.engine.reports
    ]


def test_empty_session_digest() -> None:
    engine = Engine(make_meta())
    assert len(engine.report_array()) == 0
    assert engine.digest() == report_digest(np.zeros(0, REPORT_DTYPE))


def test_replay_matches_handling_events_one_by_one() -> None:
    meta = make_meta()
    events = [
        delta(SELL, 100, 2, ts=1),
        new(1, BUY, 101, 5, venue=255, ts=2),
        trade(SELL, 101, 2, ts=3),
        (4, 3, 1, 0, 0, 0, 0, 4, 0, 0, 0),  # CANCEL 1
    ]
    session = Session(meta)
    session.feed(*events)
    engine = replay(meta, to_records(events))
    assert engine.reports == session.engine.reports
    assert len(engine.reports) == 4  # ACK, taker FILL, maker FILL, CANCELLED


def test_replay_accepts_non_contiguous_views_and_rejects_other_dtypes() -> None:
    meta = make_meta()
    events = [delta(SELL, 100, 2), delta(SELL, 100, 9), new(1, BUY, 100, 5), new(2, BUY, 1, 1)]
    records = to_records(events)
    strided = replay(meta, records[::2])
    assert [r[1:5] for r in strided.reports] == [(1, 0, 100, 5), (1, 0, 100, 2)]
    with pytest.raises(TypeError, match="dtype"):
        replay(meta, np.zeros(3, dtype=np.int64))
    assert len(replay(meta, np.zeros(0, EVENT_DTYPE)).reports) == 0
