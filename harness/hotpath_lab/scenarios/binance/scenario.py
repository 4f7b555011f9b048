"""A Binance capture as a complete scenario: the real book plus the strategy's order flow."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hotpath_format import write_events
from hotpath_lab.scenarios.binance.importer import import_binance
from hotpath_lab.scenarios.generate import overlay
from hotpath_lab.scenarios.manifest import resolve_manifest


@dataclass
class BinanceScenario:
    path: Path
    events: int
    market_events: int
    import_stats: dict[str, Any]
    overlay_stats: dict[str, Any] = field(default_factory=dict)

    def report(self) -> str:
        totals = self.import_stats
        lines = [
            f"market data: {self.market_events:,} events from {totals.get('lines', 0):,} lines",
            "import counts: " + json.dumps(totals, sort_keys=True),
            "order flow: " + json.dumps(self.overlay_stats, sort_keys=True)[:400],
        ]
        return "\n".join(lines)


def import_binance_scenario(
    src_dir: Path,
    out: Path,
    *,
    seed: int = 1,
    manifest: str = "binance",
    progress: Any = None,
) -> BinanceScenario:
    """Imports ``src_dir``, lays the manifest's strategy over it and writes ``out``."""
    result = import_binance(src_dir, progress=progress)
    manifest_path = resolve_manifest(manifest)
    records, stats = overlay(result.records, result.metadata, manifest_path, seed=seed)
    meta = dict(result.metadata)
    meta["source"] = {
        **meta["source"],
        "order_flow": {"manifest": manifest_path.name, "seed": seed, "stats": stats},
    }
    meta["description"] = meta["description"].replace("(market data only)", "with order flow")
    write_events(out, meta, records)
    return BinanceScenario(
        path=out,
        events=len(records),
        market_events=len(result.records),
        import_stats=result.stats.totals(),
        overlay_stats=stats,
    )
