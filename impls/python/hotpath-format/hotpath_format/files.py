"""Reading and writing record files: 64-byte header, JSON metadata, packed records.

Readers memory-map the file and return numpy views over it (no copy). Every problem is a
``FormatError`` naming the file and the byte offset or record index; writers are atomic.
"""

from __future__ import annotations

import errno
import hashlib
import json
import mmap
import os
import stat
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from hotpath_format.atomic import atomic_output
from hotpath_format.codes import EventKind
from hotpath_format.meta import MetadataError, ScenarioMeta, canonical_json
from hotpath_format.records import EVENT_DTYPE, REPORT_DTYPE

FORMAT_VERSION = 1
HEADER_SIZE = 64
EVENT_MAGIC = b"HPEVENT\0"
REPORT_MAGIC = b"HPREPRT\0"
_HEADER = struct.Struct("<8sHHIQI36x")
_VALID_KINDS = np.array([k.value for k in EventKind], dtype=np.uint8)


class FormatError(ValueError):
    """A record file that breaks ``docs/formats.md``."""

    def __init__(
        self, file: str, message: str, *, offset: int | None = None, index: int | None = None
    ) -> None:
        self.file = file
        self.offset = offset
        self.index = index
        where = ""
        if index is not None:
            where = f"record {index} (byte offset {offset}): "
        elif offset is not None:
            where = f"at byte offset {offset}: "
        super().__init__(f"{file}: {where}{message}")


@dataclass(frozen=True)
class Header:
    magic: bytes
    data_offset: int
    record_count: int
    metadata_len: int


@dataclass(frozen=True)
class EventFile:
    """A checked scenario file; ``records`` is a read-only view over the mapped file."""

    path: Path
    meta: ScenarioMeta
    records: np.ndarray
    header: Header

    @property
    def meta_dict(self) -> dict[str, Any]:
        return self.meta.raw


@dataclass(frozen=True)
class ReportFile:
    path: Path
    meta: dict[str, Any]
    records: np.ndarray
    header: Header


def data_offset_for(metadata_len: int) -> int:
    return -(-(HEADER_SIZE + metadata_len) // 64) * 64


def encode_file(magic: bytes, metadata: bytes, records: np.ndarray) -> list[bytes | memoryview]:
    """The byte chunks of a file image (header, metadata, padding, records)."""
    offset = data_offset_for(len(metadata))
    record_size = records.dtype.itemsize
    header = _HEADER.pack(magic, FORMAT_VERSION, record_size, offset, len(records), len(metadata))
    pad = b"\0" * (offset - HEADER_SIZE - len(metadata))
    return [header, metadata, pad, np.ascontiguousarray(records).view(np.uint8).data]


def write_events(path: str | os.PathLike[str], meta: dict[str, Any], records: np.ndarray) -> None:
    """Atomically writes a scenario file; ``meta`` is validated first."""
    ScenarioMeta.from_dict(meta, file=str(path))
    _write(path, EVENT_MAGIC, EVENT_DTYPE, meta, records)


def write_reports(path: str | os.PathLike[str], records: np.ndarray, meta: dict[str, Any]) -> None:
    _write(path, REPORT_MAGIC, REPORT_DTYPE, meta, records)


def _write(
    path: str | os.PathLike[str],
    magic: bytes,
    dtype: np.dtype[Any],
    meta: dict[str, Any],
    records: np.ndarray,
) -> None:
    if records.dtype != dtype:
        raise TypeError(f"{path}: records have dtype {records.dtype}, expected {dtype}")
    with atomic_output(path) as f:
        for chunk in encode_file(magic, canonical_json(meta), records):
            f.write(chunk)


def read_events(path: str | os.PathLike[str], *, check_records: bool = True) -> EventFile:
    """Maps and checks a scenario file.

    Raises ``FormatError`` (header, length, kinds, timestamps), ``MetadataError`` or
    ``OSError``.
    """
    name = str(path)
    buf = _map(path)
    header = _parse_header(name, buf, EVENT_MAGIC, EVENT_DTYPE.itemsize)
    meta_bytes = bytes(buf[HEADER_SIZE : HEADER_SIZE + header.metadata_len])
    try:
        meta = ScenarioMeta.from_json(meta_bytes, file=name)
    except MetadataError as exc:
        raise FormatError(name, str(exc).removeprefix(f"{name}: "), offset=HEADER_SIZE) from exc
    records = np.frombuffer(buf, EVENT_DTYPE, header.record_count, header.data_offset)
    if check_records:
        check_events(name, records, header.data_offset)
    return EventFile(Path(path), meta, records, header)


def read_reports(path: str | os.PathLike[str]) -> ReportFile:
    name = str(path)
    buf = _map(path)
    header = _parse_header(name, buf, REPORT_MAGIC, REPORT_DTYPE.itemsize)
    meta_bytes = bytes(buf[HEADER_SIZE : HEADER_SIZE + header.metadata_len])
    try:
        meta = json.loads(meta_bytes)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FormatError(name, f"metadata is not valid JSON: {exc}", offset=HEADER_SIZE) from exc
    records = np.frombuffer(buf, REPORT_DTYPE, header.record_count, header.data_offset)
    return ReportFile(Path(path), meta, records, header)


def check_events(name: str, records: np.ndarray, data_offset: int = 0) -> None:
    """Raises ``FormatError`` for the first unknown kind or backwards timestamp."""
    size = EVENT_DTYPE.itemsize
    bad_kind = np.flatnonzero(~np.isin(records["kind"], _VALID_KINDS))
    ts = records["ts"]
    backwards = np.flatnonzero(ts[1:] < ts[:-1]) + 1
    first_kind = int(bad_kind[0]) if len(bad_kind) else None
    first_back = int(backwards[0]) if len(backwards) else None
    if first_kind is not None and (first_back is None or first_kind <= first_back):
        i = first_kind
        raise FormatError(
            name,
            f"unknown event kind {int(records['kind'][i])}",
            index=i,
            offset=data_offset + i * size,
        )
    if first_back is not None:
        i = first_back
        raise FormatError(
            name,
            f"timestamp {int(ts[i])} is before the previous record's {int(ts[i - 1])}",
            index=i,
            offset=data_offset + i * size,
        )


def report_digest(records: np.ndarray) -> str:
    """SHA-256 of a report stream's records (the canonical encoding)."""
    if records.dtype != REPORT_DTYPE:
        raise TypeError(f"expected report records, got dtype {records.dtype}")
    return hashlib.sha256(np.ascontiguousarray(records).tobytes()).hexdigest()


def file_digest(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a whole file (the scenario digest)."""
    h = hashlib.sha256()
    with open_regular(path) as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class NotRegularFileError(OSError):
    """A path that names a FIFO, a directory, a device or a socket where a file is read."""

    def __init__(self, path: str | bytes, kind: str) -> None:
        super().__init__(errno.EINVAL, f"is {kind}, not a regular file")
        self.filename = path

    def __str__(self) -> str:
        return f"{os.fsdecode(self.filename)}: {self.strerror}"


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """``path`` opened for reading if it is a regular file; else ``OSError`` saying what it
    is. Opened without blocking first: opening a FIFO for reading waits for a writer,
    forever if there is none."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFileError(os.fspath(path), _file_kind(mode))
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _file_kind(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "a special file")


def _map(path: str | os.PathLike[str]) -> mmap.mmap | bytes:
    with open_regular(path) as f:
        size = os.fstat(f.fileno()).st_size
        if size == 0:
            return b""
        return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)


def _parse_header(name: str, buf: mmap.mmap | bytes, magic: bytes, record_size: int) -> Header:
    size = len(buf)
    if size < HEADER_SIZE:
        raise FormatError(
            name, f"file is {size} bytes, shorter than the {HEADER_SIZE}-byte header", offset=0
        )
    got_magic, version, rsize, offset, count, meta_len = _HEADER.unpack_from(buf, 0)
    if got_magic != magic:
        other = REPORT_MAGIC if magic == EVENT_MAGIC else EVENT_MAGIC
        hint = ""
        if got_magic == other:
            hint = (
                " (this is a report file)"
                if other == REPORT_MAGIC
                else " (this is a scenario file)"
            )
        raise FormatError(name, f"bad magic {got_magic!r}, expected {magic!r}{hint}", offset=0)
    if version != FORMAT_VERSION:
        raise FormatError(
            name,
            f"unsupported format version {version}, this build reads {FORMAT_VERSION}",
            offset=8,
        )
    if rsize != record_size:
        raise FormatError(name, f"record size {rsize}, expected {record_size}", offset=10)
    expected_offset = data_offset_for(meta_len)
    if offset != expected_offset:
        raise FormatError(
            name,
            f"data offset {offset} inconsistent with metadata length {meta_len} "
            f"(expected {expected_offset})",
            offset=12,
        )
    end = offset + count * record_size
    if size < end:
        whole = max(0, size - offset) // record_size
        raise FormatError(
            name,
            f"truncated: file ends at byte offset {size} but its header declares {count} records "
            f"ending at {end}; {whole} whole records are present",
        )
    if size > end:
        raise FormatError(
            name,
            f"{size - end} trailing bytes after the last record, which ends at byte offset {end}",
        )
    return Header(got_magic, offset, count, meta_len)
