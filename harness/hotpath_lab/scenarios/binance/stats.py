"""What an import counted, per capture file: nothing is dropped or repaired without a count."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass(slots=True)
class FileStats:
    """Counters for one capture file (see ``docs/binance-import.md`` for each definition)."""

    path: str
    venue: str
    instrument: str
    sha256: str = ""
    lines: int = 0
    messages: dict[str, int] = field(default_factory=dict)
    """Lines by message type: ``snapshot``, ``depth``, ``bookTicker``, ``trade``, skipped types."""
    first_ts: int = 0
    last_ts: int = 0
    ts_clamped: int = 0
    """Lines whose receive time was before the previous line's (their events take that time)."""
    # Depth synchronisation.
    snapshots_used: int = 0
    snapshots_ignored: int = 0
    diffs_applied: int = 0
    diffs_dropped_before_sync: int = 0
    diffs_dropped_stale: int = 0
    diffs_dropped_unsynced: int = 0
    syncs: int = 0
    resyncs: int = 0
    gaps: int = 0
    sync_failures: int = 0
    levels_cleared: int = 0
    # Emitted events.
    book_deltas: int = 0
    levels_unchanged: int = 0
    trades: int = 0
    trades_skipped: int = 0
    # bookTicker: each message has one outcome (unsynced, stale, current, applied or ahead).
    tickers_unsynced: int = 0
    tickers_stale: int = 0
    tickers_current: int = 0
    tickers_applied: int = 0
    tickers_ahead: int = 0
    ticker_deltas: int = 0
    ticker_checks: int = 0
    """Comparisons of a ticker with the book at the same update id."""
    ticker_disagreements: int = 0

    def count(self, message_type: str) -> None:
        self.messages[message_type] = self.messages.get(message_type, 0) + 1

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def counters(self) -> dict[str, int]:
        """Every counter of this file; message types as ``messages.<type>``."""
        out = {name: int(getattr(self, name)) for name in _COUNTERS}
        for kind, n in self.messages.items():
            out[f"messages.{kind}"] = n
        return out

    def why_unsynced(self) -> str:
        """Why this file's book never became live (for a book that did not)."""
        if not self.messages.get("snapshot", 0):
            return "no REST snapshot line"
        if not self.messages.get("depth", 0):
            return "no depth diffs"
        if self.sync_failures:
            return "no diff bridges the snapshot"
        return "no diff after the snapshot"


_COUNTERS = tuple(
    f.name
    for f in fields(FileStats)
    if f.name not in {"path", "venue", "instrument", "sha256", "messages", "first_ts", "last_ts"}
)


@dataclass(frozen=True, slots=True)
class ImportStats:
    """All files' counters, in import order (venue, instrument, file name)."""

    files: tuple[FileStats, ...]

    def totals(self) -> dict[str, int]:
        """Every counter summed over the files; message types as ``messages.<type>``."""
        out = {name: sum(getattr(f, name) for f in self.files) for name in _COUNTERS}
        for f in self.files:
            for kind, n in f.messages.items():
                out[f"messages.{kind}"] = out.get(f"messages.{kind}", 0) + n
        return out

    def unsynced(self) -> tuple[FileStats, ...]:
        """The files of every book (venue × instrument) that never became live: none of
        its diffs were applied, so the scenario holds at most its snapshot and its trades."""
        synced = {(f.venue, f.instrument) for f in self.files if f.syncs}
        return tuple(f for f in self.files if (f.venue, f.instrument) not in synced)

    def by_file(self, path: str) -> FileStats:
        for f in self.files:
            if f.path == path:
                return f
        raise KeyError(path)
