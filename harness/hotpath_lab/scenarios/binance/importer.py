"""``import_binance``: recorded Binance captures → market-data event records and metadata.

Each market (venue × instrument) is replayed on its own, in file order, through a
``DepthBook``; the per-market event lists are then merged by receive time, ties broken by
venue, then instrument, then emission order, so the merged stream is deterministic and
its timestamps never decrease.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from hotpath_format import EVENT_DTYPE, write_events
from hotpath_lab.scenarios.binance.book import DepthBook
from hotpath_lab.scenarios.binance.capture import (
    CaptureError,
    CaptureFile,
    discover,
    file_sha256,
    read_lines,
)
from hotpath_lab.scenarios.binance.messages import (
    BookTicker,
    DepthDiff,
    MessageDecoder,
    Snapshot,
    TradePrint,
)
from hotpath_lab.scenarios.binance.metadata import build_metadata
from hotpath_lab.scenarios.binance.sink import TRADE, EventSink
from hotpath_lab.scenarios.binance.stats import FileStats, ImportStats

BookTickerPolicy = Literal["overlay", "check"]
ImportProgress = Callable[[int, int], None]
"""``progress(done, total)`` in compressed capture bytes (the CLI's progress-bar callback)."""


@dataclass(frozen=True, slots=True)
class ImportResult:
    """The merged market-data records, their schema-1 metadata and what the import counted."""

    records: np.ndarray
    metadata: dict[str, Any]
    stats: ImportStats

    def write(self, path: str | os.PathLike[str]) -> None:
        """Writes the scenario file (atomically)."""
        write_events(path, self.metadata, self.records)


def import_binance(
    src_dir: str | os.PathLike[str],
    *,
    progress: ImportProgress | None = None,
    book_ticker: BookTickerPolicy = "overlay",
    skip_streams: Iterable[str] = (),
) -> ImportResult:
    """Imports every capture under ``src_dir`` (see ``docs/binance-import.md``).

    ``book_ticker="overlay"`` lets a bookTicker newer than the depth state set the top of
    the book; ``"check"`` only compares it. ``skip_streams`` lists stream types (the part
    after ``@``, e.g. ``aggTrade``) to skip with a count instead of failing on them.

    Raises ``CaptureError`` naming the file and line for any unreadable or invalid input.
    """
    if book_ticker not in ("overlay", "check"):
        raise ValueError(f"book_ticker must be 'overlay' or 'check', got {book_ticker!r}")
    src = Path(src_dir)
    captures = discover(src)
    skip = frozenset([skip_streams] if isinstance(skip_streams, str) else skip_streams)
    total = sum(c.path.stat().st_size for _, files in captures.markets for c in files)
    done = 0
    parts: list[np.ndarray] = []
    all_stats: list[FileStats] = []
    for market, files in captures.markets:
        sink = EventSink(market.venue.id, market.asset.id)
        book = DepthBook(
            sink, futures=market.venue.futures, ticker_overlay=book_ticker == "overlay"
        )
        decoder = MessageDecoder(market, skip)
        clock = 0
        for capture in files:
            stats = FileStats(capture.name, market.venue.name, market.asset.symbol)
            stats.sha256 = file_sha256(capture)
            report = _progress_from(progress, done, total)
            clock = _replay_file(capture, decoder, book, sink, stats, clock, report)
            all_stats.append(stats)
            done += capture.path.stat().st_size
        book.finish()
        parts.append(sink.records())
    summary = ImportStats(tuple(all_stats))
    meta = build_metadata(src.resolve().name, summary, captures.ignored, book_ticker)
    return ImportResult(_merge(parts), meta, summary)


def _replay_file(
    capture: CaptureFile,
    decoder: MessageDecoder,
    book: DepthBook,
    sink: EventSink,
    stats: FileStats,
    clock: int,
    progress: Callable[[int], None] | None,
) -> int:
    """Feeds one file through the market's book; returns the market's clock afterwards."""
    count = stats.count
    lineno = 0
    for lineno, ts, obj in read_lines(capture, progress):
        if ts < clock:
            # A receive time that steps back keeps file order: the event takes the time
            # already reached, so per-market order (which the sequence ids rely on) holds.
            stats.ts_clamped += 1
        else:
            clock = ts
        if lineno == 1:
            stats.first_ts = clock
        try:
            msg = decoder.decode(obj)
        except ValueError as exc:
            raise CaptureError(capture.name, lineno, str(exc)) from None
        if isinstance(msg, DepthDiff):
            count("depth")
            book.on_diff(msg, clock, stats)
        elif isinstance(msg, BookTicker):
            count("bookTicker")
            book.on_ticker(msg, clock, stats)
        elif isinstance(msg, TradePrint):
            count("trade")
            if msg.kind != "MARKET" or msg.qty == 0:
                stats.trades_skipped += 1  # insurance-fund / ADL prints are not market trades
            else:
                sink.add(clock, TRADE, int(msg.aggressor), msg.price, msg.qty)
                stats.trades += 1
        elif isinstance(msg, Snapshot):
            count("snapshot")
            book.on_snapshot(msg, clock, stats)
        else:
            count(f"skipped:{msg.stream_type}")
    stats.lines = lineno
    stats.last_ts = clock
    return clock


def _progress_from(
    progress: ImportProgress | None, done: int, total: int
) -> Callable[[int], None] | None:
    """Maps one file's compressed offset onto the import's overall (done, total)."""
    if progress is None:
        return None
    return lambda offset: progress(done + offset, total)


def _merge(parts: list[np.ndarray]) -> np.ndarray:
    """One stream ordered by ts; ties keep the concatenation order (venue, instrument, emission)."""
    if not parts:
        return np.zeros(0, EVENT_DTYPE)
    merged = np.concatenate(parts)
    order = np.argsort(merged["ts"], kind="stable")
    return merged[order]
