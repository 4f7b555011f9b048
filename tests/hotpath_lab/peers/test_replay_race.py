"""The replay race on a slice of the real capture (``../shared/data``).

Skipped when the capture is absent; the tests that run hftbacktest are skipped when
``.venv-hftbacktest`` cannot import it (``make hftbacktest`` installs it).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import hotpath_asyncio
import hotpath_toolkit
from hotpath_format import ScenarioMeta, report_digest
from hotpath_lab.cli import main
from hotpath_lab.peers.capture_view import futures_captures, futures_view, slice_capture
from hotpath_lab.peers.census import census
from hotpath_lab.peers.hftbacktest_side import (
    DEFAULT_PYTHON,
    GridSettings,
    run_worker,
    unavailable_reason,
)
from hotpath_lab.peers.ours import OurImport, import_capture, replay_native
from hotpath_lab.peers.reconcile import reconcile
from hotpath_lab.scenarios.binance import CaptureError

REPO = Path(__file__).resolve().parents[3]
CAPTURES = REPO.parent / "shared" / "data" / "binance-20240808"
SLICE_LINES = 3000

pytestmark = [
    pytest.mark.shared_data,
    pytest.mark.skipif(not CAPTURES.is_dir(), reason=f"{CAPTURES} is absent"),
]
needs_hftbacktest = pytest.mark.skipif(
    CAPTURES.is_dir() and unavailable_reason(DEFAULT_PYTHON) is not None,
    reason="hftbacktest is not installed in .venv-hftbacktest (make hftbacktest)",
)


@pytest.fixture(scope="module")
def sliced(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return slice_capture(CAPTURES, tmp_path_factory.mktemp("capture") / "slice", SLICE_LINES)


@pytest.fixture(scope="module")
def ours(sliced: Path, tmp_path_factory: pytest.TempPathFactory) -> OurImport:
    work = tmp_path_factory.mktemp("ours")
    return import_capture(futures_view(sliced, work / "view"), work)


@pytest.fixture(scope="module")
def hft(sliced: Path) -> dict[str, object]:
    captures = futures_captures(sliced)
    return run_worker(
        DEFAULT_PYTHON, captures, [census(c) for c in captures], GridSettings(), repeat=1
    )


def test_the_view_holds_the_futures_files_only(sliced: Path, tmp_path: Path) -> None:
    names = [c.name for c in futures_captures(futures_view(sliced, tmp_path / "view"))]
    assert names == [
        "usdm/btcusdt_20240808.gz",
        "usdm/ethusdt_20240808.gz",
        "cm/btcusd_perp_20240808.gz",
        "cm/ethusd_perp_20240808.gz",
    ]
    spot_only = tmp_path / "spot-only"
    spot_only.mkdir()
    (spot_only / "spot").symlink_to(CAPTURES / "spot", target_is_directory=True)
    with pytest.raises(CaptureError, match="no futures capture"):
        futures_captures(spot_only)


@needs_hftbacktest
def test_converter_and_import_reconcile_with_the_census(
    sliced: Path, ours: OurImport, hft: dict[str, object]
) -> None:
    censuses = [census(c) for c in futures_captures(sliced)]
    files = hft["files"]
    assert isinstance(files, list)
    rows = reconcile(censuses, files, list(ours.market.stats.files))
    for r in rows:
        assert r.hft_matches, r.as_dict()
        assert r.ours_exact and r.ours_matches, r.as_dict()
        # the sides differ, and the reconciliation says by what: the importer drops
        # unchanged levels and the diffs before the snapshot, the converter keeps them
        assert r.hft_level_updates == r.level_updates > r.ours_records
    records = ours.market.records
    assert sum(r.ours_records for r in rows) == len(records)


@needs_hftbacktest
def test_both_hftbacktest_loops_consume_every_event(hft: dict[str, object]) -> None:
    for name in ("feed", "grid"):
        loop = hft[name]
        assert isinstance(loop, dict)
        assert loop["status"] == 1, f"{name} loop stopped before the end of the data"
        assert loop["last_group_applied"], f"{name}: the final rows never reached the depth"
    feed = hft["feed"]
    assert isinstance(feed, dict)
    # one wake per local timestamp; the last one ends the data instead
    assert feed["wakes"] == hft["distinct_local_ts"] - 1  # type: ignore[operator]
    grid = hft["grid"]
    assert isinstance(grid, dict)
    assert grid["orders_submitted"] > 0 and sum(grid["fills"]) > 0


def test_our_loops_consume_every_event(ours: OurImport) -> None:
    market = replay_native(ours.meta_json, ours.market.records, repeat=1)
    assert market.events == market.market_events == len(ours.market.records)
    orders = replay_native(ours.orders_meta_json, ours.with_orders, repeat=1)
    assert orders.order_events > 0 and orders.reports > 0
    # the Python build's loop visits every record: equal reports mean the native loop did too
    meta = ScenarioMeta.from_json(ours.orders_meta_json)
    python = hotpath_asyncio.replay(meta, ours.with_orders).report_array()
    native = hotpath_toolkit.replay(ours.orders_meta_json, ours.with_orders)
    assert report_digest(native) == report_digest(python)
    assert len(native) == orders.reports


@needs_hftbacktest
def test_the_cli_writes_the_results_document(
    sliced: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["replay-race", "--capture", str(sliced), "--repeat", "1", "--results-dir", str(tmp_path)]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    [folder] = list((tmp_path / "slice").iterdir())
    doc = json.loads((folder / "replay-race.json").read_text())
    assert doc["reconciled"] is True
    assert doc["environment"]["hftbacktest_toolchain"]["hftbacktest"] == "2.4.4"
    assert doc["environment"]["git"]["sha"]
    loops = {(x["side"], x["loop"]): x for x in doc["loops"]}
    assert len(loops) == 4
    for loop in loops.values():
        assert loop["replay_s"] > 0 and loop["level_updates_per_s"] > 0
        assert loop["level_updates_per_s"] == pytest.approx(
            doc["count"]["level_updates"] / loop["replay_s"]
        )
    assert doc["preparation"]["hftbacktest_jit_warmup_s"] > 0
    assert all(t["agree"] for t in doc["consumed"]["final_tops"])
    assert (folder / "replay-race.md").read_text().count("| hftbacktest |") == 2
    assert "reconciled" in out and "hftbacktest" in out
    assert not list(tmp_path.rglob("*.partial"))


def test_a_capture_without_futures_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "spot").mkdir()
    assert main(["replay-race", "--capture", str(tmp_path), "--results-dir", str(tmp_path)]) == 3
    assert not np.any([p.name.startswith("replay-race") for p in tmp_path.rglob("*")])
