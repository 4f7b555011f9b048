"""``hotpath watch``'s view: it follows the run index, reads each publishing row's reports
stream from where it left off (one ``XRANGE`` page after another, nothing read twice) and
its latest positions snapshot, and renders one table row per publishing pass."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import redis
from rich.table import Table

from hotpath_format import ReportKind
from hotpath_lab.dropcopy.index import PublishingPass, latest_run, read_index
from hotpath_lab.dropcopy.readback import latest_positions, reports_entries

TOP_POSITIONS = 3


@dataclass(slots=True)
class RowView:
    """What the watcher knows of one publishing pass."""

    publishing: PublishingPass
    received: int = 0
    last_seq: int = 0
    kinds: np.ndarray = field(default_factory=lambda: np.zeros(256, np.int64))
    rate: float | None = None
    """Reports per second: since the last refresh, or over the pass on the first."""
    as_of: int | None = None
    top: list[tuple[int, int, int]] = field(default_factory=list)
    """The largest positions by size: ``(account, instrument, position)``."""

    @property
    def lag(self) -> int | None:
        """Reports produced and not (yet) in the stream, once the pass has ended."""
        produced = self.publishing.produced
        return None if produced is None else produced - self.last_seq

    def count(self, kind: ReportKind) -> int:
        return int(self.kinds[kind])


class DropCopyWatch:
    """Follows ``run`` (by default the run that started last) on ``client``."""

    def __init__(self, client: redis.Redis, run: str | None = None) -> None:
        self._client = client
        self._run = run
        self._rows: dict[str, RowView] = {}
        self._seen_at: dict[str, float] = {}

    @property
    def run(self) -> str | None:
        return self._run

    def refresh(self) -> list[RowView]:
        """Reads what is new and returns the run's rows in the order they started."""
        passes = read_index(self._client)
        run = self._run or latest_run(passes)
        rows = [p for p in passes if p.run == run] if run else []
        self._run = run
        now_ms = self._server_ms()
        views = []
        for p in rows:
            view = self._rows.get(p.prefix)
            if view is None:
                view = self._rows[p.prefix] = RowView(p)
            view.publishing = p
            self._read_new(view, now_ms)
            views.append(view)
        return views

    def _read_new(self, view: RowView, now_ms: int) -> None:
        before = view.received
        for entry in reports_entries(self._client, view.publishing.prefix, after=view.last_seq):
            view.kinds += np.bincount(entry.array()["kind"], minlength=256)
            view.received += entry.count
            view.last_seq = entry.last
        p = view.publishing
        previous = self._seen_at.get(p.prefix)
        if previous is not None and now_ms > previous:
            view.rate = (view.received - before) * 1000.0 / (now_ms - previous)
        else:
            span = (p.ended_ms if p.ended_ms is not None else now_ms) - p.started_ms
            view.rate = view.received * 1000.0 / span if span > 0 else None
        self._seen_at[p.prefix] = now_ms
        snapshot = latest_positions(self._client, p.prefix)
        if snapshot is not None:
            positions = snapshot.positions
            order = np.argsort(-np.abs(positions["position"].astype(np.float64)), kind="stable")
            view.as_of = snapshot.as_of
            view.top = [
                (int(r["account"]), int(r["instrument"]), int(r["position"]))
                for r in positions[order[:TOP_POSITIONS]]
            ]

    def _server_ms(self) -> int:
        """Redis's clock (the index's IDs are in it), falling back on ours."""
        try:
            seconds, micros = self._client.time()
        except redis.ResponseError:
            return int(time.time() * 1000)
        return int(seconds) * 1000 + int(micros) // 1000


def render(rows: list[RowView], run: str | None, url: str) -> Table:
    """The summary table of ``rows``."""
    title = f"drop-copy at {url}: " + (f"run {run}" if run else "no publishing pass yet")
    table = Table(title=title, title_justify="left", show_edge=False)
    for i, col in enumerate(
        ("row", "scenario", "state", "reports", "rate/s", "fills", "rejects", "cancels",
         "last seq", "lag", "positions as of", "top positions (acct/instr)")
    ):  # fmt: skip
        table.add_column(col, justify="left" if i in (0, 1, 2, 11) else "right")
    for v in rows:
        p = v.publishing
        lag = v.lag
        table.add_row(
            p.row,
            p.scenario,
            "ended" if p.ended else "live",
            f"{v.received:,}",
            "—" if v.rate is None else f"{v.rate:,.0f}",
            f"{v.count(ReportKind.FILL):,}",
            f"{v.count(ReportKind.REJECT):,}",
            f"{v.count(ReportKind.CANCELLED):,}",
            f"{v.last_seq:,}",
            "—" if lag is None else f"{lag:,}",
            "—" if v.as_of is None else f"{v.as_of:,}",
            "—" if v.as_of is None else ", ".join(f"{a}/{i} {p:+,}" for a, i, p in v.top) or "flat",
        )
    return table
