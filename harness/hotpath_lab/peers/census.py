"""An independent count of what a capture file holds, read from its raw JSON lines.

Neither side's code is used: the census counts depth diffs and the price levels they list,
REST snapshots and their levels, and trade prints, so that hftbacktest's converted rows and
our imported records can each be reconciled against the capture itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hotpath_lab.scenarios.binance.capture import CaptureError, CaptureFile, read_lines


@dataclass(slots=True)
class FileCensus:
    """What one capture file holds (definitions in docs/peers.md, "hftbacktest")."""

    name: str
    lines: int = 0
    depth_diffs: int = 0
    diff_levels: int = 0
    """Price levels listed by every depth diff, bids plus asks."""
    snapshots: int = 0
    snapshot_levels: int = 0
    snapshot_sides: int = 0
    """Non-empty sides of the snapshots (hftbacktest emits one clear row for each)."""
    market_trades: int = 0
    market_trades_zero_qty: int = 0
    other_trades: int = 0
    """Trade prints that are not ``X: MARKET`` (insurance fund, ADL): neither side replays them."""
    book_tickers: int = 0
    levels_before: list[int] = field(default_factory=list, repr=False)
    """``levels_before[k]``: levels listed by the file's first ``k`` diffs."""

    def prefix_levels(self, diffs: int) -> int:
        """Levels listed by the first ``diffs`` depth diffs of the file."""
        if not 0 <= diffs <= self.depth_diffs:
            raise ValueError(f"{self.name}: {diffs} diffs asked, the file has {self.depth_diffs}")
        return self.levels_before[diffs]

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "lines": self.lines,
            "depth_diffs": self.depth_diffs,
            "diff_levels": self.diff_levels,
            "snapshots": self.snapshots,
            "snapshot_levels": self.snapshot_levels,
            "snapshot_sides": self.snapshot_sides,
            "market_trades": self.market_trades,
            "market_trades_zero_qty": self.market_trades_zero_qty,
            "other_trades": self.other_trades,
            "book_tickers": self.book_tickers,
        }


def census(capture: CaptureFile) -> FileCensus:
    """Counts one file; raises ``CaptureError`` naming file and line for a line it cannot read."""
    out = FileCensus(capture.name)
    out.levels_before.append(0)
    for lineno, _, obj in read_lines(capture):
        out.lines = lineno
        try:
            _count(out, obj)
        except (KeyError, TypeError, ValueError) as exc:
            raise CaptureError(capture.name, lineno, f"census: {exc!r}") from None
    return out


def _count(out: FileCensus, obj: dict[str, Any]) -> None:
    data = obj.get("data")
    if data is None:
        if "lastUpdateId" in obj:
            out.snapshots += 1
            for key in ("bids", "asks"):
                levels = len(obj[key])
                out.snapshot_levels += levels
                out.snapshot_sides += 1 if levels else 0
        return
    kind = data["e"]
    if kind == "depthUpdate":
        out.depth_diffs += 1
        out.diff_levels += len(data["b"]) + len(data["a"])
        out.levels_before.append(out.diff_levels)
    elif kind == "trade":
        if data.get("X", "MARKET") != "MARKET":
            out.other_trades += 1
        elif float(data["q"]) == 0.0:
            out.market_trades_zero_qty += 1
        else:
            out.market_trades += 1
    elif kind == "bookTicker":
        out.book_tickers += 1
