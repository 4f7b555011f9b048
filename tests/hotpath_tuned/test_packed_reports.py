"""Packed reports read back as the tuples that went in, and make the Python build's array."""

from __future__ import annotations

import pytest

from hotpath_asyncio.reports import Report, to_array
from hotpath_tuned import PackedReports

REPORTS: list[Report] = [
    (i, 1_000 + i, i % 3, 50_000 * (i + 1) - 7 * i, -(i + 1) if i % 5 == 0 else i * 100,
     i % 2, i % 4, 1 + i % 6, i % 3, i % 20, 255 if i % 7 == 0 else i % 3, i % 3, 1 + i % 2)
    for i in range(3_000)
]  # fmt: skip
"""Every field's range: ids past 2³², negative prices and quantities (a reject carries the
request's fields as given), the ANY venue."""


def test_the_array_is_the_python_builds_byte_for_byte_across_growth() -> None:
    packed = PackedReports(capacity=0)  # the smallest buffer: grows twice for 3,000
    for r in REPORTS:
        packed.append(r)
    assert len(packed) == len(REPORTS)
    assert packed.array().tobytes() == to_array(REPORTS).tobytes()


def test_it_reads_back_as_the_tuples_that_went_in() -> None:
    packed = PackedReports()
    for r in REPORTS[:10]:
        packed.append(r)
    assert list(packed) == REPORTS[:10]
    assert packed[-1] == REPORTS[9]
    with pytest.raises(IndexError, match="report 10 of 10"):
        packed[10]


def test_the_array_is_a_copy_that_later_reports_do_not_change() -> None:
    packed = PackedReports()
    packed.append(REPORTS[0])
    first = packed.array()
    packed.append(REPORTS[1])
    assert len(first) == 1 and len(packed.array()) == 2
    assert first["seq"].tolist() == [1]
