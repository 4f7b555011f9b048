"""``hotpath replay-race``: hftbacktest and the rust-native build replay one real capture.

One run: census of the capture, our import (timed) and hftbacktest's conversion (timed, in
its own venv), then the timed loops — hftbacktest's feed-only and grid-maker loops, ours over
the market data and over the market data with the ``binance`` order flow — and a results
folder ``results/<capture>/replay-race-<utc>-<sha>/`` holding ``replay-race.json`` and
``replay-race.md``, written whole or not at all.
"""

from __future__ import annotations

import statistics
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from hotpath_lab import environment
from hotpath_lab.atomic import atomic_write_bytes
from hotpath_lab.peers.capture_view import (
    FUTURES_MARKETS,
    futures_captures,
    futures_view,
    market_key,
)
from hotpath_lab.peers.census import census
from hotpath_lab.peers.hftbacktest_side import GridSettings, run_worker
from hotpath_lab.peers.ours import OurReplay, final_tops, import_capture, replay_native
from hotpath_lab.peers.race_report import race_markdown
from hotpath_lab.peers.reconcile import FileReconciliation, reconcile
from hotpath_lab.storage import document_bytes, new_results_folder
from hotpath_lab.storage.folders import utc_timestamp

RACE_JSON = "replay-race.json"
RACE_MD = "replay-race.md"
SCHEMA = 1
PRICE_UNITS_PER_USD = 100  # the importer's price unit, 0.01 USD (markets.PRICE_SCALE)


@dataclass(frozen=True, slots=True)
class RaceResult:
    document: dict[str, Any]
    reconciliation: list[FileReconciliation]


def run_race(
    capture_dir: Path, python: Path, *, repeat: int = 3, grid: GridSettings | None = None
) -> RaceResult:
    """Both sides on ``capture_dir``'s futures files; the results document (not yet written).

    Raises ``CaptureError`` for bad captures, ``HftbacktestUnavailable`` when ``python``
    cannot import hftbacktest and ``HftbacktestFailed`` when its side fails.
    """
    grid = grid or GridSettings()
    captures = futures_captures(capture_dir)
    censuses = [census(c) for c in captures]
    with tempfile.TemporaryDirectory(prefix="hotpath-race-") as tmp:
        view = futures_view(capture_dir, Path(tmp) / "capture")
        ours = import_capture(view, Path(tmp))
        feed = replay_native(ours.meta_json, ours.market.records, repeat=repeat)
        orders = replay_native(ours.orders_meta_json, ours.with_orders, repeat=repeat)
    hft = run_worker(python, captures, censuses, grid, repeat=repeat)
    rows = reconcile(censuses, hft["files"], list(ours.market.stats.files))
    level_updates = sum(r.level_updates for r in rows)
    hft_rows = sum(f["local_rows"] + f["exch_only_rows"] for f in hft["files"])
    hft_level_updates = sum(r.hft_level_updates for r in rows)

    def hft_loop(name: str, loop: dict[str, Any], does: str) -> dict[str, Any]:
        seconds = statistics.median(loop["replay_s"])
        return {
            "side": "hftbacktest",
            "loop": name,
            "does": does,
            "events": hft_level_updates,
            "rows_walked": hft_rows,
            "replay_s": seconds,
            "replay_s_all": loop["replay_s"],
            "load_s": statistics.median(loop["load_s"]),
            "events_per_s": hft_level_updates / seconds,
            "level_updates_per_s": level_updates / seconds,
        }

    def our_loop(name: str, replay: OurReplay, does: str) -> dict[str, Any]:
        seconds = replay.median_s
        return {
            "side": "hotpath rust-native",
            "loop": name,
            "does": does,
            "events": replay.market_events,
            "order_events": replay.order_events,
            "rows_walked": replay.events,
            "replay_s": seconds,
            "replay_s_all": list(replay.replay_s),
            "reports": replay.reports,
            "events_per_s": replay.market_events / seconds,
            "level_updates_per_s": level_updates / seconds,
        }

    loops = [
        hft_loop("feed", hft["feed"], "wait_next_feed until the data ends; nothing else"),
        hft_loop(
            "grid maker",
            hft["grid"],
            f"elapse {grid.step_ns // 1_000_000} ms; per market {grid.grid_num}×2 post-only "
            "quotes requoted, queue and latency models on",
        ),
        our_loop("market data", feed, "engine.on_event per record: book deltas and trades"),
        our_loop(
            "market data + orders",
            orders,
            "the same, plus the binance manifest's orders through validation, risk, execution",
        ),
    ]
    tops = _tops(ours.market.records, captures, hft)
    document = {
        "schema": SCHEMA,
        "kind": "replay-race",
        "created": utc_timestamp(),
        "capture": {
            "dir": str(capture_dir),
            "name": capture_dir.resolve().name,
            "files": [c.as_dict() for c in censuses],
            "excluded": "spot/: hftbacktest 2.4.4's Binance converter reads futures streams only",
        },
        "count": {
            "definition": "one level update per price level listed by a depth diff or REST "
            "snapshot, plus one per market trade print (docs/peers.md)",
            "level_updates": level_updates,
            "hftbacktest_level_updates": hft_level_updates,
            "ours_market_records": feed.market_events,
        },
        "reconciliation": [r.as_dict() for r in rows],
        "reconciled": all(r.hft_matches and r.ours_matches for r in rows),
        "preparation": {
            "hftbacktest_convert_s": sum(f["convert_s"] for f in hft["files"]),
            "hftbacktest_convert_s_per_file": {f["name"]: f["convert_s"] for f in hft["files"]},
            "hftbacktest_jit_warmup_s": hft["warmup_s"],
            "ours_import_s": ours.import_s,
            "ours_write_s": ours.write_s,
            "ours_order_flow_overlay_s": ours.overlay_s,
        },
        "loops": loops,
        "consumed": {
            "hftbacktest_feed_wakes": hft["feed"]["wakes"],
            "hftbacktest_distinct_local_ts": hft["distinct_local_ts"],
            "hftbacktest_feed_status": hft["feed"]["status"],
            "hftbacktest_grid_status": hft["grid"]["status"],
            "hftbacktest_feed_last_rows_applied": hft["feed"]["last_group_applied"],
            "hftbacktest_grid_last_rows_applied": hft["grid"]["last_group_applied"],
            "ours_market_records": feed.events,
            "ours_orders_records": orders.events,
            "ours_order_reports": orders.reports,
            "final_tops": tops,
        },
        "grid": {
            **grid.as_dict(),
            "orders_submitted": hft["grid"]["orders_submitted"],
            "cancels": hft["grid"]["cancels"],
            "fills": hft["grid"]["fills"],
            "markets": {k: asdict(m) for k, m in sorted(FUTURES_MARKETS.items())},
        },
        "order_flow": ours.overlay_stats,
        "repeat": repeat,
        "environment": environment.collect({"hftbacktest_toolchain": hft["toolchain"]}),
    }
    return RaceResult(document, rows)


def _tops(records: Any, captures: list[Any], hft: dict[str, Any]) -> list[dict[str, Any]]:
    """Each market's final best bid/ask on both sides (price units of 0.01 USD)."""
    ours = final_tops(records)
    out = []
    for i, capture in enumerate(captures):
        key = (capture.market.venue.id, capture.market.asset.id)
        bid, ask = hft["feed"]["tops"][i]
        theirs = [round(bid * PRICE_UNITS_PER_USD), round(ask * PRICE_UNITS_PER_USD)]
        mine = list(ours.get(key, (None, None)))
        out.append(
            {
                "market": market_key(capture),
                "ours": mine,
                "hftbacktest": theirs,
                "agree": mine == theirs,
            }
        )
    return out


def write_race(result: RaceResult, results_root: Path) -> Path:
    """Writes the run folder atomically; returns it."""
    doc = result.document
    git_short = doc["environment"]["git"]["short"]
    with new_results_folder(results_root, doc["capture"]["name"], "replay-race-", git_short) as (
        final,
        staging,
    ):
        atomic_write_bytes(staging / RACE_MD, race_markdown(doc).encode())
        atomic_write_bytes(staging / RACE_JSON, document_bytes(doc))
    return final
