"""Execution reports: one tuple per report while running, a ``REPORT_DTYPE`` array at the end.

A report tuple holds the ``REPORT_DTYPE`` fields without ``seq`` and the padding:
``(event_index, order_id, ref_id, price, qty, instrument, account, kind, stage, reason,
venue, liquidity, side)``; ``seq`` is the 1-based position in the stream. What each kind
carries is ``docs/formats.md`` (report record); every constructor for it is in ``ReportLog``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

import numpy as np

from hotpath_asyncio.codes import (
    LIQ_MAKER,
    LIQ_TAKER,
    RPT_ACK,
    RPT_CANCELLED,
    RPT_FILL,
    RPT_HALT,
    RPT_REJECT,
    RPT_REPLACED,
    VENUE_ANY,
)
from hotpath_asyncio.orders import Order
from hotpath_format import REPORT_DTYPE, report_digest

Report: TypeAlias = tuple[int, int, int, int, int, int, int, int, int, int, int, int, int]

REPORT_FIELDS = (
    "event_index",
    "order_id",
    "ref_id",
    "price",
    "qty",
    "instrument",
    "account",
    "kind",
    "stage",
    "reason",
    "venue",
    "liquidity",
    "side",
)
"""Names of the tuple positions, in ``REPORT_DTYPE`` order."""

_COLUMN_DTYPES = {name: REPORT_DTYPE[name] for name in REPORT_FIELDS}


class ReportLog:
    """Appends reports in emission order; ``records`` is the stream.

    It also serves the stream to a reader on another thread (the drop-copy's publisher) by
    index, through ``report_count`` and ``report_records``: the log is the reader's buffer,
    so the order path does nothing for it.
    """

    __slots__ = ("records",)

    def __init__(self) -> None:
        self.records: list[Report] = []

    def report_count(self) -> int:
        return len(self.records)

    def report_records(self, start: int, stop: int) -> bytes:
        """Reports ``start+1 … stop`` (seqs) as 64-byte ``REPORT_DTYPE`` records."""
        # One slice (atomic under the GIL while the engine appends), then one conversion.
        return to_array(self.records[start:stop], first_seq=start + 1).tobytes()

    def ack(self, index: int, order: Order) -> None:
        """``venue`` is the requested one (255 for ANY); a MARKET order shows its collar."""
        self.records.append(
            (
                index,
                order.id,
                0,
                order.price,
                order.qty,
                order.instrument,
                order.account,
                RPT_ACK,
                0,
                0,
                order.requested_venue,
                0,
                order.side,
            )
        )

    def reject(
        self,
        index: int,
        request_id: int,
        orig_id: int,
        price: int,
        qty: int,
        instrument: int,
        account: int,
        stage: int,
        reason: int,
        venue: int,
        side: int,
    ) -> None:
        """Carries the request's fields exactly as given, even unknown ids or bad values."""
        self.records.append(
            (
                index,
                request_id,
                orig_id,
                price,
                qty,
                instrument,
                account,
                RPT_REJECT,
                stage,
                reason,
                venue,
                0,
                side,
            )
        )

    def taker_fill(self, index: int, order: Order, price: int, qty: int, venue: int) -> None:
        self.records.append(
            (
                index,
                order.id,
                0,
                price,
                qty,
                order.instrument,
                order.account,
                RPT_FILL,
                0,
                0,
                venue,
                LIQ_TAKER,
                order.side,
            )
        )

    def maker_fill(self, index: int, order: Order, qty: int, venue: int) -> None:
        """Passive fills happen at the resting order's own price."""
        self.records.append(
            (
                index,
                order.id,
                0,
                order.price,
                qty,
                order.instrument,
                order.account,
                RPT_FILL,
                0,
                0,
                venue,
                LIQ_MAKER,
                order.side,
            )
        )

    def cancelled(self, index: int, order: Order, reason: int, ref_id: int, venue: int) -> None:
        """``qty`` is the remaining qty cancelled; ``ref_id`` the CANCEL request, else 0."""
        self.records.append(
            (
                index,
                order.id,
                ref_id,
                order.price,
                order.remaining,
                order.instrument,
                order.account,
                RPT_CANCELLED,
                0,
                reason,
                venue,
                0,
                order.side,
            )
        )

    def replaced(self, index: int, new_order: Order, orig_id: int) -> None:
        self.records.append(
            (
                index,
                new_order.id,
                orig_id,
                new_order.price,
                new_order.qty,
                new_order.instrument,
                new_order.account,
                RPT_REPLACED,
                0,
                0,
                new_order.venue,
                0,
                new_order.side,
            )
        )

    def halt(self, index: int, request_id: int, instrument: int, account: int) -> None:
        """``request_id`` is 0 when a trade's fills tripped the kill switch."""
        self.records.append(
            (index, request_id, 0, 0, 0, instrument, account, RPT_HALT, 0, 0, VENUE_ANY, 0, 0)
        )


def to_array(reports: Sequence[Report], first_seq: int = 1) -> np.ndarray:
    """The stream as ``REPORT_DTYPE`` records, ``seq`` = first_seq…, padding zeroed (a part
    of the stream starts at its first report's seq)."""
    n = len(reports)
    out = np.zeros(n, REPORT_DTYPE)
    if n == 0:
        return out
    out["seq"] = np.arange(first_seq, first_seq + n, dtype=np.uint64)
    for name, column in zip(REPORT_FIELDS, zip(*reports, strict=True), strict=True):
        out[name] = np.array(column, dtype=_COLUMN_DTYPES[name])
    return out


def digest(reports: Sequence[Report]) -> str:
    """SHA-256 of the stream's records, as ``hotpath_format.report_digest``."""
    return report_digest(to_array(reports))
