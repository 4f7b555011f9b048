"""The Python build's report log serves the drop-copy's publisher by index: any slice, as
the same records ``report_array`` gives."""

from __future__ import annotations

from tests.hotpath_asyncio.support import BUY, SELL, delta, make_meta, new

from hotpath_asyncio import Engine
from hotpath_asyncio.reports import ReportLog
from hotpath_dropcopy import ReportSource


def test_any_slice_is_the_report_arrays() -> None:
    engine = Engine(make_meta())
    events = [delta(SELL, 101, 5), new(1, BUY, 101, 2), new(2, BUY, 101, 9), new(3, BUY, 90, 1)]
    for i, ev in enumerate(events):
        engine.handle(i, *ev)
    log = engine.report_source()
    assert isinstance(log, ReportLog) and isinstance(log, ReportSource)
    whole = engine.report_array()
    assert log.report_count() == len(whole) >= 5
    assert log.report_records(0, log.report_count()) == whole.tobytes()
    assert log.report_records(2, 4) == whole[2:4].tobytes(), "seqs 3 and 4 keep their seqs"
    assert log.report_records(3, 3) == b""
