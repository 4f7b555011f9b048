"""Bad captures fail with an error naming the file and line; skips are explicit and counted."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from hotpath_lab.scenarios.binance import CaptureError, import_binance

SNAPSHOT = '1000 {"lastUpdateId":10,"bids":[["100.00","1.0"]],"asks":[["101.00","1.0"]]}'
TRADE = (
    '2000 {"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"BTCUSDT","t":1,'
    '"p":"100.50","q":"0.1","T":1,"m":true,"M":true}}'
)


def write_capture(root: Path, name: str, lines: list[str]) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode(), mtime=0))
    return root


def spot_with(tmp_path: Path, third_line: str) -> Path:
    return write_capture(tmp_path, "spot/btcusdt_20240808.gz", [SNAPSHOT, TRADE, third_line])


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('3000 {"stream":"btcusdt@trade","data":{', "invalid JSON"),
        (
            '3000 {"stream":"btcusdt@trade","data":{"p":"1.00","m":true}}',
            "trade: missing field 'q'",
        ),
        (
            '3000 {"stream":"btcusdt@trade","data":{"p":"abc","q":"1","m":true}}',
            "trade: field 'p': 'abc' is not a plain decimal number",
        ),
        (
            '3000 {"stream":"btcusdt@trade","data":{"p":"1.001","q":"1","m":true}}',
            "more than 2 decimal places",
        ),
        ('3000 {"stream":"btcusdt@trade","data":{"p":"0","q":"1","m":true}}', "is not positive"),
        (
            '3000 {"stream":"btcusdt@trade","data":{"p":"1.00","q":"1","m":"yes"}}',
            "field 'm' must be true or false",
        ),
        (
            '3000 {"stream":"btcusdt@depth@100ms","data":{"U":1,"u":2,"b":[["1.00"]],"a":[]}}',
            "depthUpdate: b[0]: expected [price, qty]",
        ),
        (
            '3000 {"stream":"btcusdt@depth@100ms","data":{"U":5,"u":2,"b":[],"a":[]}}',
            "U=5 is after u=2",
        ),
        (
            '3000 {"stream":"btcusdt@bookTicker","data":{"u":1,"b":"1.00","B":"1"}}',
            "missing field 'a'",
        ),
        ('12ab {"lastUpdateId":1,"bids":[],"asks":[]}', "is not a u64 nanosecond count"),
        ("", "empty line"),
        ('3000 {"result":null,"id":1}', "neither a stream message"),
        ("3000 [1, 2]", "expected a JSON object"),
        (
            '3000 {"stream":"ethusdt@trade","data":{"p":"1.00","q":"1","m":true}}',
            "is for symbol 'ethusdt'",
        ),
    ],
)
def test_malformed_line_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    with pytest.raises(CaptureError, match=re.escape("spot/btcusdt_20240808.gz:3: ")) as info:
        import_binance(spot_with(tmp_path, line))
    assert message in str(info.value)
    assert (info.value.file, info.value.line) == ("spot/btcusdt_20240808.gz", 3)


def test_unknown_stream_is_an_error_unless_skipped_and_then_counted(tmp_path: Path) -> None:
    agg = '3000 {"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","p":"1.00","q":"1"}}'
    src = spot_with(tmp_path, agg)
    with pytest.raises(
        CaptureError, match=r"btcusdt_20240808\.gz:3: unknown stream type 'aggTrade'"
    ):
        import_binance(src)
    result = import_binance(src, skip_streams=["aggTrade"])
    stats = result.stats.by_file("spot/btcusdt_20240808.gz")
    assert stats.messages == {"snapshot": 1, "trade": 1, "skipped:aggTrade": 1}
    assert result.metadata["source"]["counts"]["messages.skipped:aggTrade"] == 1


def test_truncated_gzip_names_the_file(tmp_path: Path) -> None:
    src = spot_with(tmp_path, TRADE)
    path = src / "spot" / "btcusdt_20240808.gz"
    path.write_bytes(path.read_bytes()[:-12])
    with pytest.raises(CaptureError, match=r"spot/btcusdt_20240808\.gz:\d+: cannot read gzip data"):
        import_binance(src)


def test_unknown_symbol_file_and_empty_directory_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CaptureError, match="no capture files"):
        import_binance(tmp_path)
    write_capture(tmp_path, "spot/solusdt_20240808.gz", [SNAPSHOT])
    with pytest.raises(
        CaptureError, match=r"unknown symbol 'solusdt'.*known symbols: btcusdt, ethusdt"
    ):
        import_binance(tmp_path)
    with pytest.raises(CaptureError, match="is not a directory"):
        import_binance(tmp_path / "missing")


def test_other_files_are_listed_as_ignored(tmp_path: Path) -> None:
    src = spot_with(tmp_path, TRADE)
    (src / "README.md").write_text("notes")
    (src / "spot" / "notes.txt").write_text("x")
    result = import_binance(src)
    assert result.metadata["source"]["ignored"] == ["README.md", "spot/notes.txt"]


def test_receive_time_stepping_back_is_clamped_and_counted(tmp_path: Path) -> None:
    src = spot_with(tmp_path, TRADE.replace("2000 ", "1500 ", 1))
    result = import_binance(src)
    assert result.stats.by_file("spot/btcusdt_20240808.gz").ts_clamped == 1
    assert result.records["ts"].tolist()[-2:] == [2000, 2000]


def test_bad_book_ticker_policy_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="book_ticker must be"):
        import_binance(spot_with(tmp_path, TRADE), book_ticker="apply")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            '3000 {"stream":"btcusdt@trade","data":{"p":"92233720368547758.08","q":"1","m":true}}',
            "trade: field 'p': price '92233720368547758.08' is 9223372036854775808 units, "
            "beyond the largest an event record holds (i64",
        ),
        (
            '3000 {"stream":"btcusdt@trade","data":{"p":"1.00","q":"92233720368.54775808",'
            '"m":true}}',
            "trade: field 'q': size '92233720368.54775808' is 9223372036854775808 units",
        ),
        (
            '3000 {"lastUpdateId":11,"bids":[["1.00","1"],["1' + "0" * 30 + '.00","1"]],"asks":[]}',
            "depth snapshot: bids[1]: price",
        ),
        (
            '3000 {"lastUpdateId":11,"bids":[],"asks":[["2.00","1' + "9" * 40 + '"]]}',
            "depth snapshot: asks[0]: size",
        ),
    ],
)
def test_a_decimal_beyond_i64_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    """A value an event record's i64 field cannot hold is refused on its line, not found
    later as an ``OverflowError`` while packing the records."""
    with pytest.raises(CaptureError, match=re.escape("spot/btcusdt_20240808.gz:3: ")) as info:
        import_binance(spot_with(tmp_path, line))
    assert message in str(info.value)


def test_a_coin_margined_size_beyond_i64_names_file_and_line(tmp_path: Path) -> None:
    snapshot = '1000 {"lastUpdateId":10,"bids":[["100.00","1"]],"asks":[["101.00","1"]]}'
    huge = '2000 {"stream":"btcusd_perp@trade","data":{"p":"0.01","q":"' + "9" * 20 + '",'
    huge += '"m":true}}'
    root = write_capture(tmp_path, "cm/btcusd_perp_20240808.gz", [snapshot, huge])
    with pytest.raises(CaptureError, match=re.escape("cm/btcusd_perp_20240808.gz:2: ")) as info:
        import_binance(root)
    assert "trade: field 'q': size" in str(info.value) and "i64" in str(info.value)


def test_a_zero_byte_gz_is_refused_naming_the_file(tmp_path: Path) -> None:
    write_capture(tmp_path, "spot/btcusdt_20240808.gz", [SNAPSHOT, TRADE])
    (tmp_path / "spot" / "ethusdt_20240808.gz").write_bytes(b"")
    with pytest.raises(CaptureError, match=r"spot/ethusdt_20240808\.gz: is empty \(0 bytes\)"):
        import_binance(tmp_path)
