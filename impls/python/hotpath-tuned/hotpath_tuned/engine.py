"""The Python build's engine with the tuned build's parts: packed reports, scheduled
collections. Nothing on the hot path is copied from ``hotpath_asyncio``: the engine runs as
it is, with its report list swapped (``packed-reports``) or its ``handle`` followed by a
check of the collection schedule (``gc-off``)."""

from __future__ import annotations

import numpy as np

from hotpath_asyncio import Engine, StageTimes
from hotpath_asyncio.reports import ReportLog
from hotpath_format import ScenarioMeta, report_digest
from hotpath_tuned.gc_policy import COLLECT_EVERY, ScheduledCollections
from hotpath_tuned.packed_reports import PackedReports

REPORTS_PER_ORDER = 2
"""Room made up front per order the stream can create (an ACK and a fill or a cancel is the
common case; the buffer doubles when a session needs more)."""


class TunedEngine(Engine):
    """``Engine``, with its report stream packed as produced when ``packed_reports``.

    With packed reports, ``reports`` is a ``PackedReports`` (a sequence of the same tuples,
    read back from the buffer), not a list.
    """

    __slots__ = ("_packed",)

    def __init__(
        self,
        meta: ScenarioMeta,
        stage_times: StageTimes | None = None,
        *,
        packed_reports: bool = False,
        expected_orders: int = 0,
    ) -> None:
        super().__init__(meta, stage_times)
        self._packed: PackedReports | None = None
        if packed_reports:
            packed = PackedReports(REPORTS_PER_ORDER * expected_orders)
            # The report log's only use of its list is ``records.append``, and every part
            # holds the log, not the list: swapping it here reaches every report.
            self._log.records = packed  # type: ignore[assignment]
            self.reports = packed  # type: ignore[assignment]
            self._packed = packed

    def report_array(self) -> np.ndarray:
        if self._packed is None:
            return Engine.report_array(self)
        return self._packed.array()

    def digest(self) -> str:
        return report_digest(self.report_array())

    def report_source(self) -> ReportLog | PackedReports:  # type: ignore[override]
        """The packed reports when they replace the log's list (both serve by index)."""
        return self._packed if self._packed is not None else Engine.report_source(self)


class CollectingEngine(TunedEngine):
    """A ``TunedEngine`` that runs the ``gc-off`` schedule's collections after the events
    that reach it (``collections`` records them)."""

    __slots__ = ("_due", "collections")

    def __init__(
        self,
        meta: ScenarioMeta,
        stage_times: StageTimes | None = None,
        *,
        n_events: int,
        every: int = COLLECT_EVERY,
        packed_reports: bool = False,
        expected_orders: int = 0,
    ) -> None:
        super().__init__(
            meta, stage_times, packed_reports=packed_reports, expected_orders=expected_orders
        )
        self.collections = ScheduledCollections(n_events, every)
        self._due = self.collections.due

    def handle(
        self,
        index: int,
        ts: int,
        request_id: int,
        orig_id: int,
        price: int,
        qty: int,
        instrument: int,
        account: int,
        kind: int,
        side: int,
        order_type: int,
        venue: int,
    ) -> None:
        _handle(
            self, index, ts, request_id, orig_id, price, qty, instrument, account, kind, side,
            order_type, venue,
        )  # fmt: skip
        if index >= self._due:
            self.collections.collect(index)
            self._due = self.collections.due


_handle = Engine.handle
