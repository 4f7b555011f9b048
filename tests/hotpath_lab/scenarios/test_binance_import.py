"""Importing hand-written Binance captures: sync rules, gaps, units, trades, merge order."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import numpy as np
import pytest

from hotpath_format import EventKind, ScenarioMeta, Side, read_events
from hotpath_format.files import check_events
from hotpath_lab.scenarios.binance import ImportResult, import_binance

FIXTURES = Path(__file__).parent / "fixtures" / "binance"
BOOK, TRADE = int(EventKind.BOOK_DELTA), int(EventKind.TRADE)
BUY, SELL = int(Side.BUY), int(Side.SELL)
SPOT, USDM, COINM = 0, 1, 2
BTC, ETH = 0, 1
QTY = 10**8  # quantity units per base-asset unit
PX = 100  # price units per USD

Books = dict[tuple[int, int], tuple[dict[int, int], dict[int, int]]]


def capture_dir(case: str, tmp_path: Path) -> Path:
    """The fixture ``case`` as a capture directory: each ``.txt`` gzipped as ``.gz``."""
    root = tmp_path / f"binance-{case}"
    for txt in sorted((FIXTURES / case).rglob("*.txt")):
        dst = root / txt.relative_to(FIXTURES / case).with_suffix(".gz")
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_bytes(gzip.compress(txt.read_bytes(), mtime=0))
    return root


def replay(records: np.ndarray, *, until_ts: int | None = None) -> Books:
    """The books that the BOOK_DELTA records build, per (venue, instrument)."""
    books: Books = {}
    for r in records.tolist():
        ts, price, qty, instrument, kind, side, venue = r[0], r[3], r[4], r[5], r[7], r[8], r[10]
        if until_ts is not None and ts > until_ts:
            break
        if kind != BOOK:
            continue
        bids, asks = books.setdefault((venue, instrument), ({}, {}))
        levels = bids if side == BUY else asks
        if qty:
            levels[price] = qty
        else:
            levels.pop(price, None)
    return books


def of(records: np.ndarray, venue: int, instrument: int) -> np.ndarray:
    mine: np.ndarray = records[(records["venue"] == venue) & (records["instrument"] == instrument)]
    return mine


@pytest.fixture
def synced(tmp_path: Path) -> ImportResult:
    return import_binance(capture_dir("sync", tmp_path))


def test_spot_sync_drops_covered_diffs_and_applies_the_straddling_one(synced: ImportResult) -> None:
    s = synced.stats.by_file("spot/btcusdt_20240808.gz")
    # Diff u=100 ≤ lastUpdateId 100 is dropped; U=101 ≤ 101 ≤ u=103 syncs, though it arrived
    # before the snapshot; the two later diffs chain by U = previous u + 1.
    assert (s.diffs_dropped_before_sync, s.diffs_applied, s.syncs) == (1, 3, 1)
    assert (s.gaps, s.resyncs, s.diffs_dropped_unsynced) == (0, 0, 0)
    bids, asks = replay(synced.records)[(SPOT, BTC)]
    assert bids == {60_000_00: 1 * QTY, 59_999_00: 2 * QTY}
    assert asks == {60_001_50: QTY // 5, 60_002_00: 3 * QTY}


def test_snapshot_and_buffered_diffs_take_the_snapshot_time(synced: ImportResult) -> None:
    spot = of(synced.records, SPOT, BTC)
    first = spot[spot["ts"] == 3000]
    # The four snapshot levels, then the buffered diff's two changes, all at the snapshot's ts.
    assert [(int(r["side"]), int(r["price"]), int(r["qty"])) for r in first] == [
        (BUY, 60_000_00, QTY), (BUY, 59_999_00, 2 * QTY),
        (SELL, 60_001_00, 3 * QTY // 2), (SELL, 60_002_00, 3 * QTY),
        (BUY, 60_000_10, QTY // 2), (SELL, 60_001_00, 0),
    ]  # fmt: skip
    assert not np.any(spot["ts"] < 3000)


def test_futures_sync_keeps_u_equal_to_snapshot_and_chains_on_pu(synced: ImportResult) -> None:
    s = synced.stats.by_file("usdm/btcusdt_20240808.gz")
    # u=490 < 500 dropped; U=491 ≤ 500 ≤ u=500 syncs (spot would drop it); then pu chains even
    # where U jumps (U=510 after u=505).
    assert (s.diffs_dropped_before_sync, s.diffs_applied, s.gaps) == (1, 3, 0)
    bids, asks = replay(synced.records)[(USDM, BTC)]
    assert bids == {60_000_00: 2 * QTY}
    assert asks == {60_000_10: 3 * QTY // 10, 60_000_20: QTY}


def test_coin_margined_contracts_become_base_quantity_on_the_lot(synced: ImportResult) -> None:
    bids, asks = replay(synced.records)[(COINM, BTC)]
    # 6 × 100 USD / 60000 = 0.01 BTC exactly; 1 × 100 / 60005.5 = 0.00166651… → 167 lots of
    # 1e-5; 3 × 100 / 60010 = 0.00499916… → 500 lots.
    assert bids == {60_005_50: 167_000, 60_000_00: 1_000_000, 50_000_00: 200_000}
    assert asks == {60_010_00: 500_000}
    trades = of(synced.records, COINM, BTC)
    trades = trades[trades["kind"] == TRADE]
    assert [(int(t["price"]), int(t["qty"])) for t in trades] == [(60_010_00, 333_000)]
    s = synced.stats.by_file("cm/btcusd_perp_20240808.gz")
    assert (s.ticker_checks, s.ticker_disagreements) == (1, 0)


def test_trade_aggressor_comes_from_the_maker_flag(synced: ImportResult) -> None:
    trades = synced.records[synced.records["kind"] == TRADE]
    got = [(int(t["venue"]), int(t["price"]), int(t["qty"]), int(t["side"])) for t in trades]
    assert got == [
        (SPOT, 60_000_10, QTY // 5, SELL),  # m=true: the buyer made, the seller took
        (COINM, 60_010_00, 333_000, SELL),
        (SPOT, 60_001_50, QTY // 20, BUY),  # m=false
        (SPOT, 3_000_01, QTY // 2, BUY),
        (USDM, 60_000_10, QTY // 2, BUY),
    ]
    s = synced.stats.by_file("usdm/btcusdt_20240808.gz")
    assert (s.trades, s.trades_skipped) == (1, 1)  # the INSURANCE_FUND print is not a trade


def test_merged_stream_is_ordered_by_ts_then_venue_then_instrument(synced: ImportResult) -> None:
    rec = synced.records
    check_events("binance-sync", rec)
    assert np.all(rec["ts"][1:] >= rec["ts"][:-1])
    at = rec[rec["ts"] == 6000]
    order = [(int(r["venue"]), int(r["instrument"])) for r in at]
    assert order == [(SPOT, BTC), (SPOT, ETH), (USDM, BTC)]
    assert np.all(rec["id"] == 0) and np.all(rec["account"] == 0) and np.all(rec["order_type"] == 0)


def test_book_ticker_overlay_sets_the_top_before_the_depth_catches_up(synced: ImportResult) -> None:
    s = synced.stats.by_file("spot/btcusdt_20240808.gz")
    assert (s.tickers_unsynced, s.tickers_applied, s.ticker_deltas) == (1, 1, 2)
    # u=106 arrives when the book is at 106 (current); u=108 is reached later by a diff.
    assert (s.tickers_current, s.ticker_checks, s.ticker_disagreements) == (1, 2, 0)
    bids, asks = replay(synced.records, until_ts=7000)[(SPOT, BTC)]
    assert max(bids) == 60_000_00 and asks[60_001_50] == QTY // 5
    assert not np.any(of(synced.records, SPOT, BTC)["ts"] == 8000)  # the diff changed nothing


def test_check_mode_builds_the_same_final_books_without_ticker_deltas(
    tmp_path: Path, synced: ImportResult
) -> None:
    checked = import_binance(capture_dir("sync", tmp_path), book_ticker="check")
    assert replay(checked.records) == replay(synced.records)
    s = checked.stats.by_file("spot/btcusdt_20240808.gz")
    assert (s.tickers_ahead, s.tickers_applied, s.ticker_deltas, s.ticker_checks) == (1, 0, 0, 2)
    assert np.any(of(checked.records, SPOT, BTC)["ts"] == 8000)


def test_spot_gap_clears_the_book_and_resyncs_on_the_next_snapshot(tmp_path: Path) -> None:
    result = import_binance(capture_dir("gap", tmp_path))
    s = result.stats.by_file("spot/btcusdt_20240808.gz")
    assert (s.gaps, s.levels_cleared, s.snapshots_used, s.syncs, s.resyncs) == (1, 3, 2, 2, 1)
    assert (s.diffs_applied, s.diffs_dropped_stale, s.diffs_dropped_before_sync) == (3, 1, 1)
    assert s.messages["depth"] == 5 and s.tickers_unsynced == 1
    assert replay(result.records, until_ts=4000)[(SPOT, BTC)] == ({}, {})
    assert replay(result.records)[(SPOT, BTC)] == (
        {60_000_00: QTY // 2, 59_998_00: 3 * QTY},
        {60_001_00: 3 * QTY // 4},
    )


def test_futures_gap_without_a_later_snapshot_counts_what_was_dropped(tmp_path: Path) -> None:
    result = import_binance(capture_dir("gap", tmp_path))
    s = result.stats.by_file("usdm/btcusdt_20240808.gz")
    assert (s.diffs_applied, s.gaps, s.levels_cleared, s.diffs_dropped_unsynced) == (1, 1, 3, 2)
    cm = result.stats.by_file("cm/btcusd_perp_20240808.gz")
    # The first diff after the snapshot starts past lastUpdateId: the snapshot can't be bridged.
    assert (cm.sync_failures, cm.levels_cleared, cm.diffs_dropped_unsynced) == (1, 2, 1)
    assert cm.syncs == 0
    assert cm.trades == 1
    books = replay(result.records)
    assert books[(USDM, BTC)] == ({}, {}) and books[(COINM, BTC)] == ({}, {})
    totals = result.stats.totals()
    assert totals["book_deltas"] == int(np.count_nonzero(result.records["kind"] == BOOK))
    assert totals["trades"] == int(np.count_nonzero(result.records["kind"] == TRADE))


def test_metadata_describes_units_venues_and_sources(tmp_path: Path, synced: ImportResult) -> None:
    meta = ScenarioMeta.from_dict(synced.metadata)
    assert [v.name for v in meta.venues] == ["spot", "usdm", "coinm"]
    btc, eth = meta.instruments
    assert (btc.symbol, btc.tick_size, btc.lot_size, btc.price_decimals, btc.qty_decimals) == (
        "BTC", 1, 1_000, 2, 8,
    )  # fmt: skip
    assert (eth.symbol, eth.lot_size) == ("ETH", 10_000)
    assert meta.accounts and all(len(a.limits.max_position) == 2 for a in meta.accounts)
    source = synced.metadata["source"]
    assert source["kind"] == "binance" and source["captures"] == "binance-sync"
    files = {f["path"]: f for f in source["files"]}
    src = capture_dir("sync", tmp_path / "again")
    digest = hashlib.sha256((src / "cm" / "btcusd_perp_20240808.gz").read_bytes()).hexdigest()
    assert files["cm/btcusd_perp_20240808.gz"]["sha256"] == digest
    assert source["counts"]["trades"] == 5


def test_import_is_deterministic_and_round_trips_through_a_file(tmp_path: Path) -> None:
    src = capture_dir("sync", tmp_path)
    first, second = import_binance(src), import_binance(src)
    assert first.records.tobytes() == second.records.tobytes()
    assert first.metadata == second.metadata
    first.write(tmp_path / "sync.hpe")
    loaded = read_events(tmp_path / "sync.hpe")
    assert loaded.records.tobytes() == first.records.tobytes()
    assert loaded.meta_dict == first.metadata


def test_progress_counts_compressed_bytes_up_to_the_total(tmp_path: Path) -> None:
    src = capture_dir("sync", tmp_path)
    seen: list[tuple[int, int]] = []
    import_binance(src, progress=lambda done, total: seen.append((done, total)))
    total = sum(p.stat().st_size for p in src.rglob("*.gz"))
    assert len(seen) == 4  # once at the end of each file (they are shorter than the step)
    assert all(t == total for _, t in seen)
    done = [d for d, _ in seen]
    assert done == sorted(done) and done[-1] == total


def test_a_ticker_that_disagrees_with_the_book_at_its_update_id_is_counted(tmp_path: Path) -> None:
    ticker = (
        '{"stream":"btcusdt@bookTicker","data":{"u":7,"b":"10.50","B":"%s","a":"11.00","A":"1"}}'
    )
    lines = [
        '1 {"lastUpdateId":5,"bids":[["10.00","1.0"]],"asks":[["11.00","1.0"]]}',
        '2 {"stream":"btcusdt@depth@100ms","data":{"U":6,"u":7,"b":[["10.50","2.0"]],"a":[]}}',
        "3 " + ticker % "2.0",
        "4 " + ticker % "2.5",
    ]
    path = tmp_path / "spot" / "btcusdt_20240808.gz"
    path.parent.mkdir(parents=True)
    path.write_bytes(gzip.compress("\n".join(lines).encode()))
    s = import_binance(tmp_path).stats.by_file("spot/btcusdt_20240808.gz")
    assert (s.tickers_current, s.ticker_checks, s.ticker_disagreements) == (2, 2, 1)
    assert s.ticker_deltas == 0  # a ticker at the book's own update id never changes the book
