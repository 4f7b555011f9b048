"""A Binance capture as a complete scenario: the real book plus the strategy's order flow."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hotpath_format import write_events
from hotpath_lab.scenarios.binance.importer import (
    BookTickerPolicy,
    ImportProgress,
    import_binance,
)
from hotpath_lab.scenarios.binance.stats import FileStats, ImportStats
from hotpath_lab.scenarios.generate import overlay
from hotpath_lab.scenarios.manifest import resolve_manifest


class UnsyncedBooksError(ValueError):
    """Some book never synchronised: the scenario would hold its trades and no depth."""

    def __init__(self, stats: ImportStats) -> None:
        self.stats = stats
        """Every file's counters."""
        self.files = stats.unsynced()
        """The files of the books that never synchronised."""
        listed = "; ".join(f"{f.path} ({f.why_unsynced()})" for f in self.files)
        super().__init__(
            f"the book never synchronised in {listed}: the scenario would hold the trades "
            "but almost none of the depth"
        )


@dataclass
class BinanceScenario:
    path: Path
    events: int
    market_events: int
    stats: ImportStats
    overlay_stats: dict[str, Any] = field(default_factory=dict)

    @property
    def unsynced(self) -> tuple[FileStats, ...]:
        """Files of books that never synchronised (imported because that was allowed)."""
        return self.stats.unsynced()


def import_binance_scenario(
    src_dir: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    seed: int = 1,
    manifest: str | None = "binance",
    progress: ImportProgress | None = None,
    book_ticker: BookTickerPolicy = "overlay",
    skip_streams: Iterable[str] = (),
    allow_unsynced: bool = False,
) -> BinanceScenario:
    """Imports ``src_dir``, lays the manifest's strategy over it (none: market data only)
    and writes ``out`` (atomically).

    Raises ``UnsyncedBooksError`` naming the files when a book never synchronised (a
    capture without its REST snapshot, say), unless ``allow_unsynced``; the files are then
    listed in the metadata's ``source.unsynced``.
    """
    result = import_binance(
        src_dir, progress=progress, book_ticker=book_ticker, skip_streams=skip_streams
    )
    if result.stats.unsynced() and not allow_unsynced:
        raise UnsyncedBooksError(result.stats)
    meta = dict(result.metadata)
    records = result.records
    stats: dict[str, Any] = {}
    if manifest is not None:
        manifest_path = resolve_manifest(manifest)
        records, stats = overlay(result.records, result.metadata, manifest_path, seed=seed)
        meta["source"] = {
            **meta["source"],
            "order_flow": {"manifest": manifest_path.name, "seed": seed, "stats": stats},
        }
        meta["description"] = meta["description"].replace("(market data only)", "with order flow")
    write_events(out, meta, records)
    return BinanceScenario(
        path=Path(out),
        events=len(records),
        market_events=len(result.records),
        stats=result.stats,
        overlay_stats=stats,
    )
