"""Reconciling what each side counts with the capture's census, file by file.

The count both sides are compared on (docs/peers.md, "hftbacktest"): one **level update**
per price level listed by a depth message (a diff or the REST snapshot) plus one per market
trade print. The census counts it from the raw capture; then

* hftbacktest's converter emits exactly one row per level update (its local rows by type),
  plus one ``DEPTH_CLEAR`` row per snapshot side and, where exchange and local time order
  disagree, an extra exchange-only copy of a row: both are shown, neither is a level update;
* our importer emits a ``BOOK_DELTA`` only for a level whose size changes on a synchronised
  book, so its records are the level updates less the levels of diffs dropped before the
  book synchronised, less the levels a diff repeats at their current size, plus a delta for
  each level the REST snapshot sets and each level a lost sync clears.

Every term is measured (census, converter rows, the importer's counters); ``exact`` says the
importer's path had no gap or resync, so the dropped diffs are the file's first ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hotpath_lab.peers.census import FileCensus
from hotpath_lab.scenarios.binance.stats import FileStats


@dataclass(frozen=True, slots=True)
class FileReconciliation:
    name: str
    level_updates: int
    """The census's count: diff levels + snapshot levels + market trades."""
    hft: dict[str, int]
    hft_level_updates: int
    hft_matches: bool
    ours: dict[str, int]
    ours_explained: int
    ours_records: int
    ours_exact: bool

    @property
    def ours_matches(self) -> bool:
        return self.ours_explained == self.ours_records

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.name,
            "level_updates": self.level_updates,
            "hftbacktest": {
                **self.hft,
                "level_updates": self.hft_level_updates,
                "matches_census": self.hft_matches,
            },
            "ours": {
                **self.ours,
                "explained_records": self.ours_explained,
                "records": self.ours_records,
                "exact": self.ours_exact,
                "matches": self.ours_matches,
            },
        }


def reconcile_file(
    counted: FileCensus, hft_rows: dict[str, int], stats: FileStats
) -> FileReconciliation:
    trades = counted.market_trades + counted.market_trades_zero_qty
    level_updates = counted.diff_levels + counted.snapshot_levels + counted.market_trades
    hft = {k: int(hft_rows[k]) for k in ("depth", "snapshot", "clear", "trade", "exch_only_rows")}
    hft_level_updates = hft["depth"] + hft["snapshot"] + hft["trade"]
    hft_matches = (
        hft["depth"] == counted.diff_levels
        and hft["snapshot"] == counted.snapshot_levels
        and hft["clear"] == counted.snapshot_sides
        and hft["trade"] == trades
        and int(hft_rows["local_rows"]) == hft_level_updates + hft["clear"]
    )
    exact = (
        stats.gaps == stats.resyncs == stats.sync_failures == 0
        and stats.diffs_dropped_stale == stats.diffs_dropped_unsynced == 0
        and stats.snapshots_used == counted.snapshots == 1
    )
    dropped = counted.prefix_levels(min(stats.diffs_dropped_before_sync, counted.depth_diffs))
    ours = {
        "diff_levels": counted.diff_levels,
        "levels_in_diffs_dropped_before_sync": dropped,
        "levels_unchanged": stats.levels_unchanged,
        "snapshot_levels": counted.snapshot_levels,
        "levels_cleared": stats.levels_cleared,
        "ticker_deltas": stats.ticker_deltas,
        "trades": stats.trades,
        "book_deltas": stats.book_deltas,
    }
    explained = (
        counted.diff_levels - dropped - stats.levels_unchanged + counted.snapshot_levels
        + stats.levels_cleared + stats.ticker_deltas + counted.market_trades
    )  # fmt: skip
    return FileReconciliation(
        name=counted.name,
        level_updates=level_updates,
        hft=hft,
        hft_level_updates=hft_level_updates,
        hft_matches=hft_matches,
        ours=ours,
        ours_explained=explained,
        ours_records=stats.book_deltas + stats.trades,
        ours_exact=exact,
    )


def reconcile(
    censuses: list[FileCensus], hft_files: list[dict[str, Any]], stats: list[FileStats]
) -> list[FileReconciliation]:
    """One reconciliation per capture file, matched by file name."""
    hft_by_name = {f["name"]: f for f in hft_files}
    stats_by_name = {s.path: s for s in stats}
    missing = [c.name for c in censuses if c.name not in hft_by_name or c.name not in stats_by_name]
    if missing:
        raise ValueError(f"no counts from both sides for {missing}")
    return [reconcile_file(c, hft_by_name[c.name], stats_by_name[c.name]) for c in censuses]
