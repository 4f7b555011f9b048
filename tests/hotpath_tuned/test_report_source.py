"""Packed reports serve the drop-copy's publisher by index, across the buffer's growth."""

from __future__ import annotations

from hotpath_asyncio.reports import to_array
from hotpath_dropcopy import ReportSource
from hotpath_tuned import PackedReports

REPORTS = [(i, 100 + i, 0, 5_000, 3, 0, i % 2, 3, 0, 0, 1, 1, 1 + i % 2) for i in range(2_500)]


def test_any_slice_is_the_python_builds_records() -> None:
    packed = PackedReports(capacity=0)
    for r in REPORTS[:1_000]:
        packed.append(r)
    assert isinstance(packed, ReportSource)
    first = packed.report_records(0, 1_000)
    for r in REPORTS[1_000:]:  # the buffer moves as it grows
        packed.append(r)
    assert packed.report_count() == 2_500
    expected = to_array(REPORTS)
    assert first == expected[:1_000].tobytes()
    assert packed.report_records(1_000, 2_500) == expected[1_000:].tobytes()
    assert packed.report_records(2_499, 2_500) == expected[-1:].tobytes()
