"""Report tuples → ``REPORT_DTYPE`` records and the stream digest."""

from __future__ import annotations

import numpy as np

from hotpath_asyncio.reports import REPORT_FIELDS, Report, digest, to_array
from hotpath_format import REPORT_DTYPE, REPORT_STRUCT, report_digest


def test_fields_follow_the_dtype_without_seq_and_pad() -> None:
    names = REPORT_DTYPE.names
    assert names is not None
    assert tuple(n for n in names if n not in ("seq", "pad")) == REPORT_FIELDS


def test_to_array_matches_the_struct_encoding() -> None:
    reports: list[Report] = [
        (0, 2**64 - 1, 7, -(2**63), 2**63 - 1, 65535, 3, 2, 1, 10, 255, 0, 2),
        (5, 1, 0, 100, 3, 0, 0, 3, 0, 0, 1, 2, 1),
    ]
    arr = to_array(reports)
    expected = b"".join(REPORT_STRUCT.pack(seq, *r) for seq, r in enumerate(reports, 1))
    assert arr.tobytes() == expected
    assert digest(reports) == report_digest(np.frombuffer(expected, REPORT_DTYPE))


def test_empty_stream() -> None:
    assert to_array([]).dtype == REPORT_DTYPE
    assert digest([]) == report_digest(np.zeros(0, REPORT_DTYPE))
