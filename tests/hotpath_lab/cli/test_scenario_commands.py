"""``hotpath scenario config`` and ``hotpath scenario import binance`` on small captures.

The captures are written here, gzip-compressed, in the line format of
``docs/binance-import.md``: ``<receive time ns> <JSON>``.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from hotpath_format import read_events
from hotpath_lab.cli import main
from hotpath_lab.scenarios import load_manifest

SNAPSHOT = {
    "lastUpdateId": 100,
    "bids": [["60000.00", "1.0"], ["59999.00", "2.0"]],
    "asks": [["60001.00", "1.5"], ["60002.00", "3.0"]],
}


def diff(first: int, last: int, bid: str) -> dict[str, object]:
    data = {"e": "depthUpdate", "E": last, "s": "BTCUSDT", "U": first, "u": last,
            "b": [[bid, "0.5"]], "a": []}  # fmt: skip
    return {"stream": "btcusdt@depth@100ms", "data": data}


def trade(n: int, price: str) -> dict[str, object]:
    data = {"e": "trade", "E": n, "s": "BTCUSDT", "t": n, "p": price, "q": "0.01", "T": n,
            "m": n % 2 == 0, "M": True}  # fmt: skip
    return {"stream": "btcusdt@trade", "data": data}


def capture(root: Path, lines: list[tuple[int, object]]) -> Path:
    """``root`` as a capture directory holding one spot BTC file with ``lines``."""
    path = root / "spot" / "btcusdt_20240808.gz"
    path.parent.mkdir(parents=True)
    text = "".join(f"{ts} {json.dumps(obj)}\n" for ts, obj in lines)
    path.write_bytes(gzip.compress(text.encode(), mtime=0))
    return root


def synced(root: Path) -> Path:
    """A snapshot, the diff that bridges it, two more diffs and trades."""
    lines: list[tuple[int, object]] = [(1_000, SNAPSHOT), (2_000, diff(100, 101, "60000.10"))]
    lines += [(3_000, diff(102, 103, "60000.20")), (4_000, diff(104, 104, "60000.30"))]
    lines += [(5_000 + i, trade(i, "60001.00")) for i in range(20)]
    return capture(root, lines)


def unsynced(root: Path) -> Path:
    """Diffs and trades but no REST snapshot line: the book can never synchronise."""
    lines: list[tuple[int, object]] = [(2_000, diff(100, 101, "60000.10"))]
    lines += [(3_000, diff(102, 103, "60000.20"))]
    lines += [(5_000 + i, trade(i, "60001.00")) for i in range(20)]
    return capture(root, lines)


def test_config_prints_the_generator_config(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenario", "config", "smoke"]) == 0
    out = capsys.readouterr().out
    assert out.strip() == load_manifest("smoke").config_json()
    assert json.loads(out)["market"]["phases"][2]["ramp_ns"] == 500_000_000


def test_config_of_a_bad_manifest_is_bad_input_naming_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = load_manifest("smoke").path.read_text().replace("ramp_s = 0.5", "ramp_s = 2.5")
    bad = tmp_path / "bad.toml"
    bad.write_text(text)
    assert main(["scenario", "config", str(bad)]) == 3
    err = capsys.readouterr().err
    assert "bad.toml: phases[2].ramp_s: is longer than the phase" in err.replace("\n", "")
    assert main(["scenario", "config", "no-such-manifest"]) == 3


def test_config_without_a_manifest_is_usage() -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["scenario", "config"])
    assert exit_info.value.code == 2


def test_a_capture_without_a_snapshot_is_refused_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, out = unsynced(tmp_path / "cap"), tmp_path / "out.hpe"
    assert main(["scenario", "import", "binance", str(src), "--out", str(out)]) == 3
    captured = capsys.readouterr()
    err = captured.err.replace("\n", "")
    assert "spot/btcusdt_20240808.gz (no REST snapshot line)" in err
    assert "--allow-unsynced" in err
    assert "spot/btcusdt_20240808.gz" in captured.out, "the counters are shown"
    assert not out.exists()


def test_allow_unsynced_imports_it_with_a_warning_and_a_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, out = unsynced(tmp_path / "cap"), tmp_path / "out.hpe"
    args = ["scenario", "import", "binance", str(src), "--out", str(out), "--market-only"]
    assert main([*args, "--allow-unsynced"]) == 0
    assert "warning" in capsys.readouterr().err
    source = read_events(out).meta.raw["source"]
    assert source["unsynced"] == ["spot/btcusdt_20240808.gz"]
    counts = source["files"][0]["counts"]
    assert (counts["snapshots_used"], counts["diffs_applied"]) == (0, 0)
    assert counts["diffs_dropped_unsynced"] == 2 and counts["trades"] == 20


def test_counters_are_printed_and_kept_in_the_metadata(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, out = synced(tmp_path / "cap"), tmp_path / "out.hpe"
    assert main(["scenario", "import", "binance", str(src), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    row = next(line for line in printed.splitlines() if "spot/btcusdt_20240808.gz" in line)
    # lines, snapshots, diffs applied, dropped before sync, dropped unsynced, gaps, resyncs,
    # trades
    cells = [c.strip() for c in row.split("│")[1:]]
    assert cells == ["24", "1", "3", "0", "0", "0", "0", "20"]
    f = read_events(out)
    source = f.meta.raw["source"]
    assert source["unsynced"] == []
    counts = source["files"][0]["counts"]
    assert (counts["snapshots_used"], counts["diffs_applied"], counts["syncs"]) == (1, 3, 1)
    assert (counts["gaps"], counts["resyncs"], counts["messages.depth"]) == (0, 0, 3)
    assert source["order_flow"]["manifest"] == "binance.toml"


def test_market_only_writes_no_order_flow(tmp_path: Path) -> None:
    src, out = synced(tmp_path / "cap"), tmp_path / "out.hpe"
    args = ["scenario", "import", "binance", str(src), "--out", str(out), "--market-only"]
    assert main([*args, "--book-ticker", "check"]) == 0
    f = read_events(out)
    assert "order_flow" not in f.meta.raw["source"]
    assert f.meta.raw["source"]["book_ticker"] == "check"
    assert set(f.records["kind"].tolist()) <= {1, 2}


def test_an_unknown_stream_is_bad_input_unless_skipped(tmp_path: Path) -> None:
    agg = {"stream": "btcusdt@aggTrade", "data": {"e": "aggTrade"}}
    lines: list[tuple[int, object]] = [(1_000, SNAPSHOT), (2_000, diff(100, 101, "60000.10"))]
    src, out = capture(tmp_path / "cap", [*lines, (3_000, agg)]), tmp_path / "out.hpe"
    args = ["scenario", "import", "binance", str(src), "--out", str(out), "--market-only"]
    assert main(args) == 3
    assert main([*args, "--skip-stream", "aggTrade"]) == 0
    counts = read_events(out).meta.raw["source"]["counts"]
    assert counts["messages.skipped:aggTrade"] == 1
