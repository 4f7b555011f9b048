"""The entries made from the report stream and not yet acknowledged by Redis, in the order
they go out: reports entries of at most ``batch`` reports, and after the report whose seq is
on the cadence, a positions snapshot (``docs/dropcopy.md``).

The fold runs over every report from seq 1 whatever was already in Redis: a snapshot depends
on the whole stream. What the streams already hold (their tops at the last resume) is not made
into entries again.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from enum import Enum

import numpy as np

from hotpath_format import (
    POSITION_DTYPE,
    REPORT_DTYPE,
    PositionFold,
    closing_snapshot,
    encode_positions_entry,
    encode_reports_entry,
    snapshots_due,
)

_SIZE = REPORT_DTYPE.itemsize


class Stream(Enum):
    REPORTS = "reports"
    POSITIONS = "positions"


@dataclass(slots=True)
class Pending:
    """One entry waiting for Redis: reports ``first … last`` (``data`` their records), or the
    snapshot as of ``last`` (``first == last``, ``data`` its positions)."""

    stream: Stream
    first: int
    last: int
    data: bytes | memoryview

    def encode(self) -> tuple[str, dict[str, bytes | memoryview]]:
        if self.stream is Stream.REPORTS:
            return encode_reports_entry(self.first, self.data)
        return encode_positions_entry(self.last, np.frombuffer(self.data, POSITION_DTYPE))


class SourceError(RuntimeError):
    """The report source gave records that are not the reports asked for."""


class Outbox:
    """Reports taken from the source (``read`` of them so far), cut into entries."""

    __slots__ = (
        "_batch",
        "_entries",
        "_every",
        "_fold",
        "_skip_as_of",
        "_skip_reports",
        "closed",
        "pending_reports",
        "read",
    )

    def __init__(self, batch: int, every: int) -> None:
        self._batch = batch
        self._every = every
        self._fold = PositionFold()
        self._entries: deque[Pending] = deque()
        self._skip_reports = 0
        self._skip_as_of = 0
        self.read = 0
        """Reports taken from the source: seqs ``1 … read``."""
        self.pending_reports = 0
        """Reports in entries not yet acknowledged."""
        self.closed = False
        """The pass's end was reached and its closing snapshot (if due) made."""

    def __len__(self) -> int:
        return len(self._entries)

    def take(self, data: bytes) -> None:
        """Takes the next reports from the source (seqs ``read+1`` on, as records)."""
        start = self.read
        if len(data) % _SIZE or not data:
            raise SourceError(f"asked for reports from seq {start + 1}: got {len(data)} bytes")
        records = np.frombuffer(data, REPORT_DTYPE)
        stop = start + len(records)
        seqs = records["seq"]
        if int(seqs[0]) != start + 1 or int(seqs[-1]) != stop:
            raise SourceError(
                f"asked for seqs {start + 1}…{stop}, got {int(seqs[0])}…{int(seqs[-1])}"
            )
        view = memoryview(data)
        pos = start
        for cut in [*snapshots_due(start, stop, self._every), stop]:
            if cut == pos:
                continue
            self._cut(view, start, pos, cut)
            self._fold.fold(records[pos - start : cut - start])
            if cut % self._every == 0:
                self._snapshot(cut)
            pos = cut
        self.read = stop

    def close(self) -> None:
        """The source has ended at ``read``: the closing snapshot, once, if due."""
        if not self.closed and closing_snapshot(self.read, self._every):
            self._snapshot(self.read)
        self.closed = True

    def head(self, n: int) -> list[Pending]:
        """The first ``n`` entries to go out (they stay until ``acknowledged``)."""
        return [self._entries[i] for i in range(min(n, len(self._entries)))]

    def acknowledged(self) -> Pending:
        """Drops the first entry: Redis holds it."""
        entry = self._entries.popleft()
        if entry.stream is Stream.REPORTS:
            self.pending_reports -= entry.last - entry.first + 1
        return entry

    def resume(self, reports_top: int, positions_top: int) -> None:
        """The streams hold entries up to these seqs: what is at or below them is not sent,
        now or later (a partly held reports entry keeps its tail)."""
        self._skip_reports = reports_top
        self._skip_as_of = positions_top
        kept: deque[Pending] = deque()
        for e in self._entries:
            if e.stream is Stream.POSITIONS:
                if e.last > positions_top:
                    kept.append(e)
            elif e.last > reports_top:
                if e.first <= reports_top:
                    e.data = e.data[(reports_top + 1 - e.first) * _SIZE :]
                    e.first = reports_top + 1
                kept.append(e)
        self._entries = kept
        self.pending_reports = sum(e.last - e.first + 1 for e in kept if e.stream is Stream.REPORTS)

    def rewind(self) -> None:
        """Starts over from seq 1 (the server lost entries it had acknowledged)."""
        self._fold = PositionFold()
        self._entries.clear()
        self.read = 0
        self.pending_reports = 0
        self.closed = False

    def _cut(self, view: memoryview, start: int, lo: int, hi: int) -> None:
        """Entries for seqs ``lo+1 … hi`` (of records from seq ``start+1`` in ``view``) that
        the stream does not hold yet."""
        lo = max(lo, self._skip_reports)
        for a in range(lo, hi, self._batch):
            b = min(a + self._batch, hi)
            chunk = view[(a - start) * _SIZE : (b - start) * _SIZE]
            self._entries.append(Pending(Stream.REPORTS, a + 1, b, chunk))
            self.pending_reports += b - a

    def _snapshot(self, as_of: int) -> None:
        if as_of > self._skip_as_of:  # encoded (and checked) when it goes out
            self._entries.append(
                Pending(Stream.POSITIONS, as_of, as_of, self._fold.snapshot().tobytes())
            )
