"""The drop-copy contract (docs/dropcopy.md): keys, the positions record, the two kinds of
entries, the fold over FILL reports and the snapshot cadence."""

from __future__ import annotations

import numpy as np
import pytest

from hotpath_format import (
    POSITION_DTYPE,
    REPORT_DTYPE,
    RUNS_KEY,
    DropCopyFormatError,
    PositionFold,
    ReportKind,
    Side,
    closing_snapshot,
    decode_positions_entry,
    decode_reports_entry,
    encode_positions_entry,
    encode_reports_entry,
    positions_key,
    reports_key,
    snapshot_seqs,
    snapshots_due,
)


def reports(n: int, first: int = 1) -> np.ndarray:
    r = np.zeros(n, REPORT_DTYPE)
    r["seq"] = np.arange(first, first + n, dtype=np.uint64)
    r["kind"] = ReportKind.ACK
    r["order_id"] = r["seq"] * 7
    return r


def fill(account: int, instrument: int, side: int, qty: int) -> np.ndarray:
    r = np.zeros(1, REPORT_DTYPE)
    r["kind"], r["account"], r["instrument"], r["side"], r["qty"] = (
        ReportKind.FILL, account, instrument, side, qty,
    )  # fmt: skip
    return r


def as_stored(fields: dict[str, bytes | memoryview]) -> dict[bytes, bytes]:
    """The fields as redis-py hands them back: bytes names, bytes values."""
    return {k.encode(): bytes(v) for k, v in fields.items()}


def test_the_keys() -> None:
    assert reports_key("hotpath:r1:python@drop-copy") == "hotpath:r1:python@drop-copy:reports"
    assert positions_key("p") == "p:positions"
    assert RUNS_KEY == "hotpath:runs"


def test_the_position_record_layout() -> None:
    assert POSITION_DTYPE.itemsize == 16
    offsets = {name: POSITION_DTYPE.fields[name][1] for name in POSITION_DTYPE.names}
    assert offsets == {"account": 0, "instrument": 2, "pad": 4, "position": 8}
    p = np.zeros(1, POSITION_DTYPE)
    p["account"], p["instrument"], p["position"] = 0x0102, 0x0304, -2
    assert p.tobytes() == bytes.fromhex("0201 0403 00000000 feffffffffffffff")


def test_a_reports_entry_round_trips() -> None:
    records = reports(3, first=257)
    entry, fields = encode_reports_entry(257, records.tobytes())
    assert entry == "259-0"
    assert (fields["first"], fields["count"]) == (b"257", b"3")
    got = decode_reports_entry(entry.encode(), as_stored(fields))
    assert (got.first, got.count, got.last) == (257, 3, 259)
    assert got.records == records.tobytes()
    assert got.array()["order_id"].tolist() == [257 * 7, 258 * 7, 259 * 7]


def test_a_positions_entry_round_trips() -> None:
    p = np.zeros(2, POSITION_DTYPE)
    p["account"], p["instrument"], p["position"] = [0, 1], [5, 0], [-(2**63), 7]
    entry, fields = encode_positions_entry(20_000, p)
    assert entry == "20000-0" and fields["as_of"] == b"20000"
    got = decode_positions_entry(b"20000-0", as_stored(fields))
    assert got.as_of == 20_000
    assert got.positions.tobytes() == p.tobytes()


@pytest.mark.parametrize(
    ("entry", "change", "message"),
    [
        ("10-0", {}, "the ID names 10"),
        ("3-1", {}, "expected <seq>-0"),
        ("3-0", {b"count": b"2"}, "records is 192 bytes, count 2 needs 128"),
        ("3-0", {b"count": b"0"}, "count 0, expected 1 to 256"),
        ("3-0", {b"first": b"x1"}, "field 'first' is b'x1', expected an ASCII decimal"),
        ("3-0", {b"records": None}, "no field 'records'"),
    ],
)
def test_a_bad_reports_entry_is_named(
    entry: str, change: dict[bytes, bytes | None], message: str
) -> None:
    _, fields = encode_reports_entry(1, reports(3).tobytes())
    stored = {k: v for k, v in {**as_stored(fields), **change}.items() if v is not None}
    with pytest.raises(DropCopyFormatError, match=message):
        decode_reports_entry(entry, stored)


def test_records_whose_seqs_are_not_the_entrys_are_refused() -> None:
    records = reports(3)
    records["seq"][1] = 9
    _, fields = encode_reports_entry(1, records.tobytes())
    with pytest.raises(DropCopyFormatError, match="record 1 has seq 9, expected 2"):
        decode_reports_entry("3-0", as_stored(fields))


def test_unsorted_or_padded_positions_are_refused() -> None:
    p = np.zeros(2, POSITION_DTYPE)
    p["account"] = [1, 0]
    _, fields = encode_positions_entry(5, p)
    with pytest.raises(DropCopyFormatError, match="not sorted"):
        decode_positions_entry("5-0", as_stored(fields))
    raw = bytearray(np.zeros(1, POSITION_DTYPE).tobytes())
    raw[5] = 1
    with pytest.raises(DropCopyFormatError, match="padding"):
        decode_positions_entry("5-0", {b"as_of": b"5", b"positions": bytes(raw)})
    with pytest.raises(DropCopyFormatError, match="as_of 4, the ID names 5"):
        decode_positions_entry("5-0", {b"as_of": b"4", b"positions": b""})


def test_an_entry_holds_one_to_256_reports() -> None:
    with pytest.raises(DropCopyFormatError, match="1 to 256 records"):
        encode_reports_entry(1, reports(257).tobytes())
    with pytest.raises(DropCopyFormatError, match="1 to 256 records"):
        encode_reports_entry(1, b"")


def test_the_fold_by_hand() -> None:
    """Account 1 buys 5 and sells 2 of instrument 0 (net +3); account 0 sells 4 of
    instrument 2 then buys 4 back (net 0, still listed); account 1 buys 10 of instrument 1.
    An ACK and a REJECT with quantities change nothing."""
    stream = np.concatenate(
        [
            fill(1, 0, Side.BUY, 5),
            fill(0, 2, Side.SELL, 4),
            reports(1),  # an ACK of qty 0
            fill(1, 0, Side.SELL, 2),
            fill(1, 1, Side.BUY, 10),
            fill(0, 2, Side.BUY, 4),
        ]
    )
    stream[2]["qty"] = 99
    reject = fill(1, 0, Side.BUY, 1_000)
    reject["kind"] = ReportKind.REJECT
    fold = PositionFold()
    fold.fold(stream[:3])
    fold.fold(np.concatenate([stream[3:], reject]))
    got = [(int(p["account"]), int(p["instrument"]), int(p["position"])) for p in fold.snapshot()]
    assert got == [(0, 2, 0), (1, 0, 3), (1, 1, 10)]


def test_the_fold_wraps_at_64_bits() -> None:
    fold = PositionFold()
    fold.fold(np.concatenate([fill(0, 0, Side.BUY, 2**63 - 1), fill(0, 0, Side.BUY, 2)]))
    assert int(fold.snapshot()["position"][0]) == -(2**63) + 1


def test_an_empty_fold_has_no_pairs() -> None:
    fold = PositionFold()
    fold.fold(reports(10))
    assert fold.snapshot().size == 0


def test_the_cadence() -> None:
    assert list(snapshots_due(0, 25_000, 10_000)) == [10_000, 20_000]
    assert list(snapshots_due(10_000, 19_999, 10_000)) == []
    assert list(snapshots_due(9_999, 10_000, 10_000)) == [10_000]
    assert snapshot_seqs(25_000, 10_000) == [10_000, 20_000, 25_000]
    assert snapshot_seqs(20_000, 10_000) == [10_000, 20_000], "no closing one on a multiple"
    assert snapshot_seqs(7, 10_000) == [7]
    assert snapshot_seqs(0, 10_000) == [], "no reports: no snapshot"
    assert closing_snapshot(7, 3) and not closing_snapshot(6, 3) and not closing_snapshot(0, 3)
