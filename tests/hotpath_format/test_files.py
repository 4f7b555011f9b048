"""Every bad-file case gets a clear error naming the file and where it breaks."""

import contextlib
import shutil
import struct
from pathlib import Path

import numpy as np
import pytest
from tests.one_instrument import META

from hotpath_format import (
    EVENT_DTYPE,
    REPORT_DTYPE,
    FormatError,
    read_events,
    read_reports,
    write_events,
    write_reports,
)


def events(n: int = 4) -> np.ndarray:
    r = np.zeros(n, EVENT_DTYPE)
    r["ts"] = np.arange(n) * 10
    r["kind"] = 1
    return r


@pytest.fixture
def good(tmp_path: Path) -> Path:
    p = tmp_path / "good.hpe"
    write_events(p, META, events())
    return p


def patched(src: Path, tmp_path: Path, offset: int, data: bytes) -> Path:
    dst = tmp_path / "bad.hpe"
    raw = bytearray(src.read_bytes())
    raw[offset : offset + len(data)] = data
    dst.write_bytes(bytes(raw))
    return dst


def test_round_trip(good: Path) -> None:
    f = read_events(good)
    assert list(f.records["ts"]) == [0, 10, 20, 30]
    assert f.meta.name == "t"


def test_empty_record_array_round_trips(tmp_path: Path) -> None:
    write_events(tmp_path / "e.hpe", META, events(0))
    assert len(read_events(tmp_path / "e.hpe").records) == 0


def test_wrong_magic(good: Path, tmp_path: Path) -> None:
    with pytest.raises(FormatError, match=r"bad\.hpe: at byte offset 0: bad magic") as e:
        read_events(patched(good, tmp_path, 0, b"NOTMAGIC"))
    assert e.value.offset == 0


def test_report_file_opened_as_scenario_says_so(tmp_path: Path) -> None:
    p = tmp_path / "r.hpr"
    write_reports(p, np.zeros(1, REPORT_DTYPE), {"schema": 1})
    with pytest.raises(FormatError, match="this is a report file"):
        read_events(p)


def test_unsupported_version(good: Path, tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="at byte offset 8: unsupported format version 7"):
        read_events(patched(good, tmp_path, 8, struct.pack("<H", 7)))


def test_record_size_mismatch(good: Path, tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="at byte offset 10: record size 64, expected 48"):
        read_events(patched(good, tmp_path, 10, struct.pack("<H", 64)))


def test_truncated_file_names_offset_and_whole_records(good: Path, tmp_path: Path) -> None:
    dst = tmp_path / "short.hpe"
    raw = good.read_bytes()
    dst.write_bytes(raw[:-30])
    with pytest.raises(FormatError, match=r"short\.hpe: truncated: .*3 whole records"):
        read_events(dst)


def test_truncated_inside_the_header(good: Path, tmp_path: Path) -> None:
    dst = tmp_path / "tiny.hpe"
    dst.write_bytes(good.read_bytes()[:20])
    with pytest.raises(FormatError, match="shorter than the 64-byte header"):
        read_events(dst)


def test_trailing_bytes(good: Path, tmp_path: Path) -> None:
    dst = tmp_path / "long.hpe"
    dst.write_bytes(good.read_bytes() + b"\0" * 5)
    with pytest.raises(FormatError, match="5 trailing bytes"):
        read_events(dst)


def test_unknown_event_kind_names_record_and_offset(good: Path, tmp_path: Path) -> None:
    data_offset = read_events(good).header.data_offset
    bad = patched(good, tmp_path, data_offset + 2 * 48 + 44, bytes([9]))
    with pytest.raises(FormatError, match=r"record 2 .* unknown event kind 9") as e:
        read_events(bad)
    assert e.value.index == 2 and e.value.offset == data_offset + 96


def test_timestamps_going_backwards(good: Path, tmp_path: Path) -> None:
    data_offset = read_events(good).header.data_offset
    bad = patched(good, tmp_path, data_offset + 3 * 48, struct.pack("<Q", 5))
    with pytest.raises(
        FormatError, match=r"record 3 .* timestamp 5 is before the previous record's 20"
    ):
        read_events(bad)


def test_bad_metadata_is_reported_at_offset_64(good: Path, tmp_path: Path) -> None:
    bad = patched(good, tmp_path, 64, b"[")
    with pytest.raises(FormatError, match="at byte offset 64: metadata"):
        read_events(bad)


def test_writer_refuses_invalid_metadata_and_leaves_nothing(tmp_path: Path) -> None:
    meta = {**META, "venues": [{"id": 3, "name": "v"}]}
    with pytest.raises(ValueError, match=r"venues\[0\]\.id"):
        write_events(tmp_path / "x.hpe", meta, events())
    assert list(tmp_path.iterdir()) == []


def test_failed_write_keeps_the_previous_file(good: Path) -> None:
    before = good.read_bytes()
    with pytest.raises(TypeError):
        write_events(good, META, np.zeros(2, REPORT_DTYPE))
    assert good.read_bytes() == before
    assert [p.name for p in good.parent.iterdir()] == ["good.hpe"], "no temp file left"


def test_readers_never_crash_on_random_garbage(tmp_path: Path, good: Path) -> None:
    rng = np.random.default_rng(7)
    raw = good.read_bytes()
    for i in range(200):
        data = bytearray(raw)
        for _ in range(rng.integers(1, 6)):
            data[rng.integers(0, len(data))] = int(rng.integers(0, 256))
        cut = int(rng.integers(0, len(data) + 1)) if i % 3 == 0 else len(data)
        p = tmp_path / f"g{i}.hpe"
        p.write_bytes(bytes(data[:cut]))
        with contextlib.suppress(FormatError, ValueError):
            read_events(p)


def test_copy_of_golden_reads_like_the_original(golden_dir: Path, tmp_path: Path) -> None:
    shutil.copy(golden_dir / "reports-v1.hpr", tmp_path / "r.hpr")
    assert read_reports(tmp_path / "r.hpr").records.tobytes() == (
        read_reports(golden_dir / "reports-v1.hpr").records.tobytes()
    )
