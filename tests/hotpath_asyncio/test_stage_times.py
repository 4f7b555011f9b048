"""Per-stage stamps: which stages are stamped, ordering, and no effect on the reports."""

from __future__ import annotations

import pytest
from tests.hotpath_asyncio.streams import random_scenario
from tests.hotpath_asyncio.support import (
    BUY,
    SELL,
    cancel,
    delta,
    make_meta,
    new,
    replace,
    trade,
)

from hotpath_asyncio import Engine, StageTimes, replay


def test_stamps_mark_the_stages_each_event_reached() -> None:
    meta = make_meta(accounts=[{"max_order_notional": 1000}, {}])
    events = [
        delta(SELL, 100, 1),  # 0 market data
        new(1, BUY, 100, 3),  # 1 accepted
        new(2, BUY, 0, 3),  # 2 validation reject
        new(3, BUY, 100, 30),  # 3 risk reject
        cancel(4, 1),  # 4 accepted cancel (no risk stage work, still stamped)
        cancel(5, 99),  # 5 validation reject
        new(6, SELL, 105, 1),  # 6 accepted
        replace(7, 6, 104, 1),  # 7 accepted replace
        trade(BUY, 104, 1),  # 8 market data with a fill
    ]
    stamps = StageTimes(len(events))
    engine = Engine(meta, stamps)
    for i, event in enumerate(events):
        engine.handle(i, *event)
    arrays = (stamps.validated, stamps.risk_checked, stamps.executed, stamps.book_updated)
    reached = [tuple(bool(a[i]) for a in arrays) for i in range(len(events))]
    assert reached == [
        (False, False, False, True),
        (True, True, True, False),
        (True, False, False, False),
        (True, True, False, False),
        (True, True, True, False),
        (True, False, False, False),
        (True, True, True, False),
        (True, True, True, False),
        (False, False, False, True),
    ]
    for i in (1, 4, 6, 7):
        assert stamps.validated[i] <= stamps.risk_checked[i] <= stamps.executed[i]
    assert stamps.executed[1] <= stamps.validated[2]
    views = stamps.as_numpy()
    assert views["executed"].tolist() == list(stamps.executed)


def test_timed_and_untimed_engines_report_identically() -> None:
    meta, records = random_scenario(3, 2000)
    timed = replay(meta, records, StageTimes(len(records)))
    assert timed.reports == replay(meta, records).reports


def test_stage_times_rejects_negative_size() -> None:
    with pytest.raises(ValueError, match="n_events"):
        StageTimes(-1)
