"""The imported capture as a full scenario: the real book plus the strategy's order flow,
written as a file that every build replays identically (skipped without the shared data)."""

from __future__ import annotations

from pathlib import Path

import hotpath_rs
import numpy as np
import pytest

import hotpath_asyncio
from hotpath_format import EventKind, read_events
from hotpath_lab.cli import main

REPO = Path(__file__).resolve().parents[3]
CAPTURES = REPO.parent / "shared" / "data" / "binance-20240808"

pytestmark = [
    pytest.mark.shared_data,
    pytest.mark.skipif(not CAPTURES.is_dir(), reason=f"{CAPTURES} is absent"),
]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bn") / "binance.hpe"
    assert main(["scenario", "import", "binance", str(CAPTURES), "--out", str(out)]) == 0
    return out


def test_the_file_holds_the_real_book_and_the_order_flow(imported: Path) -> None:
    f = read_events(imported)
    kinds = np.bincount(f.records["kind"], minlength=6)
    assert kinds[EventKind.BOOK_DELTA] > 1_000_000 and kinds[EventKind.TRADE] > 50_000
    assert kinds[EventKind.NEW_ORDER] > 10_000
    assert kinds[EventKind.CANCEL] > 1_000 and kinds[EventKind.REPLACE] > 1_000
    source = f.meta.raw["source"]
    assert source["kind"] == "binance" and source["order_flow"]["manifest"] == "binance.toml"
    # Every book synchronised (the import would otherwise have refused without a flag), and
    # each file's counters are kept.
    assert source["unsynced"] == []
    for f in source["files"]:
        counts = f["counts"]
        assert counts["syncs"] >= 1 and counts["snapshots_used"] >= 1, f["path"]
        assert counts["gaps"] == counts["resyncs"] == counts["diffs_dropped_unsynced"] == 0


def test_python_and_rust_agree_on_the_import(imported: Path) -> None:
    f = read_events(imported)
    prefix = f.records[:400_000]  # the full file is shadowed by `make shadow-all` in CI
    python = hotpath_asyncio.replay(f.meta, prefix).report_array()
    rust = hotpath_rs.replay(f.meta.to_json(), prefix)
    assert len(python) > 1_000
    assert python.tobytes() == rust.tobytes()


def test_import_is_deterministic(imported: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.hpe"
    assert main(["scenario", "import", "binance", str(CAPTURES), "--out", str(again)]) == 0
    assert again.read_bytes() == imported.read_bytes()


def test_missing_directory_is_bad_input(tmp_path: Path) -> None:
    code = main(
        ["scenario", "import", "binance", str(tmp_path / "nope"), "--out", str(tmp_path / "x")]
    )
    assert code == 3
    assert not (tmp_path / "x").exists()
