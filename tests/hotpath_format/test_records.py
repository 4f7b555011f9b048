"""The record layouts are pinned field by field and checked against the golden files."""

import hashlib
import struct
from pathlib import Path

import numpy as np
import pytest

from hotpath_format import (
    EVENT_DTYPE,
    EVENT_STRUCT,
    REPORT_DTYPE,
    REPORT_STRUCT,
    EventKind,
    Reason,
    Stage,
    read_events,
    read_reports,
    report_digest,
)

# docs/formats.md, copied by hand: a change to the dtype must be a change to this table.
EVENT_OFFSETS = {
    "ts": 0, "id": 8, "orig_id": 16, "price": 24, "qty": 32, "instrument": 40,
    "account": 42, "kind": 44, "side": 45, "order_type": 46, "venue": 47,
}  # fmt: skip
REPORT_OFFSETS = {
    "seq": 0, "event_index": 8, "order_id": 16, "ref_id": 24, "price": 32, "qty": 40,
    "instrument": 48, "account": 50, "kind": 52, "stage": 53, "reason": 54, "venue": 55,
    "liquidity": 56, "side": 57, "pad": 58,
}  # fmt: skip

# The golden files are pinned by digest: regenerating them is a deliberate format change.
GOLDEN_EVENTS_SHA256 = "61207c305615a7252347d4e61ecf20ccdb8c5962a74f32297341bb25c1c803c5"
GOLDEN_REPORTS_SHA256 = "c5208662fd51343cbacf2e9f890cd066e7f4e61324dc297c8a9684ef6b0ee7ca"


def test_event_dtype_offsets_match_the_spec() -> None:
    assert EVENT_DTYPE.itemsize == 48
    assert {n: EVENT_DTYPE.fields[n][1] for n in EVENT_DTYPE.names} == EVENT_OFFSETS


def test_report_dtype_offsets_match_the_spec() -> None:
    assert REPORT_DTYPE.itemsize == 64
    assert {n: REPORT_DTYPE.fields[n][1] for n in REPORT_DTYPE.names} == REPORT_OFFSETS


def test_struct_layouts_agree_with_the_dtypes() -> None:
    rec = np.zeros(1, EVENT_DTYPE)
    values = (1, 2, 3, -4, -5, 6, 7, 3, 2, 1, 255)
    rec[0] = values
    assert EVENT_STRUCT.unpack(rec.tobytes()) == values
    rep = np.zeros(1, REPORT_DTYPE)
    rvalues = (1, 2, 3, 4, -5, -6, 7, 8, 2, 1, 33, 9, 2, 1)
    rep[0] = (*rvalues, b"")
    assert REPORT_STRUCT.unpack(rep.tobytes()) == rvalues


def test_golden_files_are_the_pinned_bytes(golden_dir: Path) -> None:
    digest = hashlib.sha256((golden_dir / "events-v1.hpe").read_bytes()).hexdigest()
    assert digest == GOLDEN_EVENTS_SHA256
    digest = hashlib.sha256((golden_dir / "reports-v1.hpr").read_bytes()).hexdigest()
    assert digest == GOLDEN_REPORTS_SHA256


def test_golden_events_decode_to_the_documented_values(golden_dir: Path) -> None:
    f = read_events(golden_dir / "events-v1.hpe")
    assert f.header.data_offset == 704 and f.header.record_count == 5
    r = f.records
    assert r.flags.writeable is False, "a view over the read-only mapping, not a copy"
    assert list(r["kind"]) == [EventKind.BOOK_DELTA, 2, 3, 4, 5]
    last = r[4]
    assert (int(last["id"]), int(last["orig_id"])) == (77, 0x0102030405060708)
    assert (int(last["price"]), int(last["qty"])) == (-5, -7)
    assert (int(last["instrument"]), int(last["account"])) == (0xABCD, 0xFEDC)
    assert (int(last["side"]), int(last["order_type"]), int(last["venue"])) == (2, 3, 254)
    # the same field read straight from the bytes, without the dtype
    raw = (golden_dir / "events-v1.hpe").read_bytes()
    assert struct.unpack_from("<Q", raw, 704 + 2 * 48 + 8)[0] == 0x0102030405060708
    assert raw[704 + 4 * 48 + 44] == 5
    assert f.meta.instruments[0].tick_size == 10
    assert f.meta.accounts[0].limits.max_order_notional == 9_000_000_000_000_000_000


def test_golden_reports_decode_and_digest(golden_dir: Path) -> None:
    f = read_reports(golden_dir / "reports-v1.hpr")
    r = f.records
    assert list(r["seq"]) == [1, 2, 3, 4]
    reject = r[3]
    assert int(reject["stage"]) == Stage.VALIDATION
    assert Reason(int(reject["reason"])) is Reason.UNKNOWN_INSTRUMENT
    assert int(r[1]["liquidity"]) == 2 and int(r[1]["venue"]) == 1
    raw = (golden_dir / "reports-v1.hpr").read_bytes()
    body = raw[f.header.data_offset :]
    assert report_digest(r) == hashlib.sha256(body).hexdigest()


@pytest.mark.parametrize("reason", list(Reason))
def test_reason_codes_split_by_stage(reason: Reason) -> None:
    assert reason.stage == (Stage.VALIDATION if reason.value < 32 else Stage.RISK)
