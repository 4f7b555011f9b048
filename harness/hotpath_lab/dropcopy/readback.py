"""Reading a publishing pass's streams back from Redis, each entry checked on its own
(``hotpath_format.decode_*_entry``: ID, counts, lengths, seqs inside an entry, padding,
order of pairs). How entries follow each other — gaps, overlaps — is ``verify``'s to judge.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import redis

from hotpath_format import (
    REPORT_DTYPE,
    PositionsEntry,
    ReportsEntry,
    decode_positions_entry,
    decode_reports_entry,
    positions_key,
    reports_key,
)
from hotpath_lab.dropcopy.client import command

PAGE_ENTRIES = 256
"""Entries per ``XRANGE`` (up to 4 MiB of reports)."""


@dataclass(frozen=True, slots=True)
class ReportsReadBack:
    """The reports stream as read: each entry's ``(first, last)`` seqs, and the concatenated
    records (``REPORT_DTYPE``) in stream order."""

    entries: list[tuple[int, int]]
    records: np.ndarray


def stream_entries(client: redis.Redis, key: str, after: int = 0) -> Iterator[tuple[bytes, Any]]:
    """``(id, fields)`` of every entry of ``key`` whose ID is above ``after``-0, in order."""
    low = f"({after}-0" if after else "-"
    while True:
        page = command(client, "XRANGE", key, low, "+", "COUNT", PAGE_ENTRIES)
        if not page:
            return
        yield from page
        low = "(" + page[-1][0].decode()
        if len(page) < PAGE_ENTRIES:
            return


def reports_entries(client: redis.Redis, prefix: str, after: int = 0) -> Iterator[ReportsEntry]:
    """The decoded entries of ``P:reports`` whose last seq is above ``after``."""
    for entry, fields in stream_entries(client, reports_key(prefix), after):
        yield decode_reports_entry(entry, fields)


def read_reports(client: redis.Redis, prefix: str) -> ReportsReadBack:
    """The whole reports stream; raises ``DropCopyFormatError`` on a malformed entry."""
    entries: list[tuple[int, int]] = []
    chunks: list[bytes] = []
    for e in reports_entries(client, prefix):
        entries.append((e.first, e.last))
        chunks.append(e.records)
    records = np.frombuffer(b"".join(chunks), REPORT_DTYPE)
    return ReportsReadBack(entries, records)


def read_positions(client: redis.Redis, prefix: str) -> list[PositionsEntry]:
    """Every snapshot of ``P:positions`` in stream order."""
    return [decode_positions_entry(e, f) for e, f in stream_entries(client, positions_key(prefix))]


def latest_positions(client: redis.Redis, prefix: str) -> PositionsEntry | None:
    """The last snapshot of ``P:positions``, if any."""
    last = command(client, "XREVRANGE", positions_key(prefix), "+", "-", "COUNT", 1)
    return decode_positions_entry(*last[0]) if last else None
