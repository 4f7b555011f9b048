"""The report stream packed as it is produced: one ``REPORT_STRUCT`` record per report in one
growing buffer, instead of a 13-tuple per report kept for the whole session.

A tuple per report is an object the collector tracks until a collection finds it holds only
ints, and at the end every report is walked again to build the ``REPORT_DTYPE`` array. Here
the Python build's ``ReportLog`` runs unchanged — it only ever calls ``records.append`` —
but its tuple is packed at once and freed (it goes back to the tuple free list); the array
at the end is the buffer itself. What each report kind carries stays in ``ReportLog``.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from hotpath_asyncio.reports import Report
from hotpath_format import REPORT_DTYPE, REPORT_STRUCT

_SIZE = REPORT_STRUCT.size


class PackedReports:
    """An append-only sequence of reports (``Report`` tuples in, ``Report`` tuples out)
    stored as ``REPORT_DTYPE`` records with ``seq`` = 1..n."""

    __slots__ = ("_buf", "_capacity", "_n", "_pack")

    def __init__(self, capacity: int = 0) -> None:
        """``capacity``: reports to make room for up front (the buffer doubles beyond)."""
        self._capacity = max(capacity, 1024)
        self._buf = bytearray(_SIZE * self._capacity)
        self._n = 0
        self._pack = REPORT_STRUCT.pack_into

    def append(self, report: Report) -> None:
        n = self._n
        if n == self._capacity:
            self._buf.extend(bytes(len(self._buf)))
            self._capacity *= 2
        self._pack(self._buf, n * _SIZE, n + 1, *report)
        self._n = n + 1

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i: int) -> Report:
        n = self._n
        if not -n <= i < n:
            raise IndexError(f"report {i} of {n}")
        record: tuple[int, ...] = REPORT_STRUCT.unpack_from(self._buf, (i % n) * _SIZE)
        return record[1:]  # type: ignore[return-value]  # REPORT_STRUCT: seq, then a Report

    def __iter__(self) -> Iterator[Report]:
        for i in range(self._n):
            yield self[i]

    def report_count(self) -> int:
        return self._n

    def report_records(self, start: int, stop: int) -> bytes:
        """Reports ``start+1 … stop`` (seqs) as records, for a reader on another thread (the
        drop-copy's publisher): a copy taken in one step, since the buffer can grow (and
        move) under a view."""
        stop = min(stop, self._n)
        return bytes(self._buf[start * _SIZE : stop * _SIZE])

    def array(self) -> np.ndarray:
        """The reports as a ``REPORT_DTYPE`` array (a copy: the buffer keeps growing)."""
        return np.frombuffer(self._buf, REPORT_DTYPE, count=self._n).copy()
