"""The real 2024-08-08 captures (``../shared/data``): skipped when the data is absent."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from hotpath_format import EventKind, ScenarioMeta, Side
from hotpath_format.files import check_events
from hotpath_lab.scenarios.binance import ImportResult, import_binance

REPO = Path(__file__).resolve().parents[3]
CAPTURES = REPO.parent / "shared" / "data" / "binance-20240808"
BOOK, TRADE = int(EventKind.BOOK_DELTA), int(EventKind.TRADE)
WINDOW = (1_723_161_240 * 10**9, 1_723_161_600 * 10**9)  # 2024-08-08 23:54 – 24:00 UTC
MARKETS = [(v, i) for v in range(3) for i in range(2)]

pytestmark = [
    pytest.mark.shared_data,
    pytest.mark.skipif(not CAPTURES.is_dir(), reason=f"{CAPTURES} is absent"),
]


@pytest.fixture(scope="module")
def real() -> ImportResult:
    return import_binance(CAPTURES)


def test_import_succeeds_and_passes_the_record_checks(real: ImportResult) -> None:
    check_events("binance-20240808", real.records)
    ScenarioMeta.from_dict(real.metadata)
    ts = real.records["ts"]
    assert WINDOW[0] <= int(ts[0]) and int(ts[-1]) < WINDOW[1]
    assert set(np.unique(real.records["kind"]).tolist()) == {BOOK, TRADE}
    assert len(real.metadata["source"]["files"]) == 6


def test_counts_account_for_every_message(real: ImportResult) -> None:
    for f in real.stats.files:
        assert f.lines == sum(f.messages.values()), f.path
        depth_outcomes = (
            f.diffs_applied + f.diffs_dropped_before_sync + f.diffs_dropped_stale
            + f.diffs_dropped_unsynced
        )  # fmt: skip
        assert depth_outcomes == f.messages["depth"], f.path
        ticker_outcomes = (
            f.tickers_current + f.tickers_applied + f.tickers_ahead + f.tickers_stale
            + f.tickers_unsynced
        )  # fmt: skip
        assert ticker_outcomes == f.messages["bookTicker"], f.path
        assert f.trades + f.trades_skipped == f.messages["trade"], f.path
        assert f.syncs >= 1 and f.messages["snapshot"] >= 1, f.path
        # Diffs before the snapshot were few; after it, almost all were applied.
        assert f.diffs_applied > 0.99 * f.messages["depth"], f.path
        assert f.ticker_checks > 0 and f.ticker_disagreements == 0, f.path
    totals = real.stats.totals()
    rec = real.records
    assert totals["book_deltas"] == int(np.count_nonzero(rec["kind"] == BOOK))
    assert totals["trades"] == int(np.count_nonzero(rec["kind"] == TRADE))


def test_every_book_is_mostly_uncrossed_after_sync(real: ImportResult) -> None:
    rec = real.records
    for venue, instrument in MARKETS:
        mine = rec[(rec["venue"] == venue) & (rec["instrument"] == instrument)]
        deltas = mine[mine["kind"] == BOOK]
        assert len(deltas) > 10_000
        bids: dict[int, int] = {}
        asks: dict[int, int] = {}
        samples = crossed = 0
        columns = (deltas["side"].tolist(), deltas["price"].tolist(), deltas["qty"].tolist())
        for i, (side, price, qty) in enumerate(zip(*columns, strict=True)):
            levels = bids if side == Side.BUY else asks
            if qty:
                levels[price] = qty
            else:
                levels.pop(price, None)
            if i % 500 == 499 and bids and asks:
                samples += 1
                crossed += max(bids) >= min(asks)
        assert samples > 20
        assert crossed <= 0.01 * samples, (venue, instrument, crossed, samples)
        assert len(bids) > 100 and len(asks) > 100  # a deep book at the end of the capture
        spread_bps = (min(asks) - max(bids)) * 10_000 / max(bids)
        assert 0 < spread_bps < 10, (venue, instrument, spread_bps)


def test_trades_print_near_every_venue_book(real: ImportResult) -> None:
    rec = real.records
    trades = rec[rec["kind"] == TRADE]
    for venue, instrument in MARKETS:
        mine = trades[(trades["venue"] == venue) & (trades["instrument"] == instrument)]
        assert len(mine) > 1_000
        assert set(np.unique(mine["side"]).tolist()) == {int(Side.BUY), int(Side.SELL)}
        assert np.all(mine["qty"] > 0)
    btc = trades[trades["instrument"] == 0]["price"]
    eth = trades[trades["instrument"] == 1]["price"]
    # Spot, USDⓈ-M and COIN-M prices of one asset are within 1% of each other.
    assert btc.max() < 1.01 * btc.min() and eth.max() < 1.01 * eth.min()


@pytest.mark.benchmark
def test_import_time(capsys: pytest.CaptureFixture[str]) -> None:
    """Prints the import time of the whole capture (no assertion: speed is reported)."""
    start = time.perf_counter()
    result = import_binance(CAPTURES)
    elapsed = time.perf_counter() - start
    lines = result.stats.totals()["lines"]
    with capsys.disabled():
        print(
            f"\nbinance-20240808: {lines} lines -> {len(result.records)} records "
            f"in {elapsed:.2f} s ({lines / elapsed:,.0f} lines/s)"
        )
