"""The wire protocol's framing (``docs/formats.md``, "Wire protocol"), the counterpart of
``hotpath_core::format::wire``: one ZeroMQ message is one frame, a 16-byte header and a
payload of event records, report records or UTF-8 JSON."""

from __future__ import annotations

import struct
from dataclasses import dataclass

from hotpath_format.codes import EventKind, WireKind, WireReject
from hotpath_format.records import EVENT_DTYPE, REPORT_DTYPE

WIRE_HEADER_SIZE = 16
WIRE_VERSION = 1
WIRE_MAX_BATCH = 4096
"""Most records one EVENTS or REPORTS frame may carry."""
WIRE_MAX_TEXT = 1 << 20
"""Most bytes of a START, READY, FINISHED or ERROR payload."""

HEADER_STRUCT = struct.Struct("<BBHIQ")
"""kind, version, flags (0), count, seq."""

_RECORD_SIZE = {WireKind.EVENTS: EVENT_DTYPE.itemsize, WireKind.REPORTS: REPORT_DTYPE.itemsize}
_EVENT_KINDS = frozenset(int(k) for k in EventKind)


class WireError(Exception):
    """A frame the protocol refuses, with the reject code a gateway answers with."""

    def __init__(self, code: WireReject, message: str) -> None:
        super().__init__(f"{code.name}: {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Header:
    """A decoded frame header."""

    kind: WireKind
    count: int
    seq: int

    def to_bytes(self) -> bytes:
        return HEADER_STRUCT.pack(self.kind, WIRE_VERSION, 0, self.count, self.seq)


def parse_header(frame: bytes | memoryview) -> Header:
    """The header at the start of ``frame``; raises :class:`WireError` as a gateway rejects."""
    if len(frame) < WIRE_HEADER_SIZE:
        raise WireError(WireReject.TOO_SHORT, f"{len(frame)} bytes, the header alone is 16")
    kind, version, flags, count, seq = HEADER_STRUCT.unpack_from(frame)
    if version != WIRE_VERSION or flags != 0:
        raise WireError(
            WireReject.BAD_VERSION,
            f"version byte {version} flags {flags:#06x}: expected version 1, flags 0",
        )
    try:
        wire_kind = WireKind(kind)
    except ValueError:
        raise WireError(WireReject.UNKNOWN_KIND, f"kind byte {kind}") from None
    return Header(wire_kind, count, seq)


def seq_of(frame: bytes | memoryview) -> int:
    """The ``seq`` field of ``frame``, read even when the rest of the header is wrong (an ERROR
    answer echoes it); 0 for a frame too short to carry one."""
    return int(HEADER_STRUCT.unpack_from(frame)[4]) if len(frame) >= WIRE_HEADER_SIZE else 0


def check_payload(header: Header, payload_len: int) -> None:
    """Raises :class:`WireError` (``BAD_SIZE``) unless the payload length matches ``count``."""
    if header.kind in _RECORD_SIZE:
        if header.kind is WireKind.EVENTS and not 1 <= header.count <= WIRE_MAX_BATCH:
            raise WireError(
                WireReject.BAD_SIZE, f"count {header.count}: expected 1..={WIRE_MAX_BATCH}"
            )
        expected = header.count * _RECORD_SIZE[header.kind]
    elif header.kind is WireKind.FINISH:
        expected = 0
    else:
        if header.count > WIRE_MAX_TEXT:
            raise WireError(
                WireReject.BAD_SIZE, f"{header.count} payload bytes, at most {WIRE_MAX_TEXT}"
            )
        expected = header.count
    if payload_len != expected:
        raise WireError(
            WireReject.BAD_SIZE, f"payload is {payload_len} bytes, header says {expected}"
        )


def check_event_kinds(kinds: bytes | memoryview) -> None:
    """Raises ``BAD_RECORD`` naming the first record whose kind byte is not an event kind."""
    for i, kind in enumerate(kinds):
        if kind not in _EVENT_KINDS:
            raise WireError(WireReject.BAD_RECORD, f"record {i}: kind {kind} is not an event kind")


def records_frame(kind: WireKind, seq: int, payload: bytes, count: int) -> bytes:
    return Header(kind, count, seq).to_bytes() + payload


def text_frame(kind: WireKind, text: bytes) -> bytes:
    return Header(kind, len(text), 0).to_bytes() + text


def error_frame(seq: int, code: WireReject, message: str) -> bytes:
    body = bytes([code]) + message.encode()[: WIRE_MAX_TEXT - 1]
    return Header(WireKind.ERROR, len(body), seq).to_bytes() + body
