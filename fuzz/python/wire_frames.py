"""atheris target: a client's frames from the network through the wire-python gateway's
protocol state machine. The input is a sequence of frames, each ``[u16 length LE][bytes]``
(the same shape as the Rust target's, so the corpora are interchangeable). Every frame must
get exactly one reply with a valid header — READY, REPORTS or ERROR echoing the frame's seq,
FINISHED — and no exception."""

from __future__ import annotations

import struct
import sys

import atheris
from scratch import MAX_REPLAYED_EVENTS, OURS

with atheris.instrument_imports(include=OURS):
    from hotpath_asyncio.gateway.protocol import GatewayProtocol
    from hotpath_format.codes import WireKind
    from hotpath_format.wire import WIRE_HEADER_SIZE, check_payload, parse_header, seq_of


_LEN = struct.Struct("<H")
_EVENT_SIZE = 48


def frames(data: bytes) -> list[bytes]:
    """The input cut into frames: a u16 length, then that many bytes (or what is left)."""
    out = []
    at = 0
    while len(data) - at >= _LEN.size:
        (n,) = _LEN.unpack_from(data, at)
        out.append(data[at + 2 : at + 2 + n])
        at += 2 + n
    return out


def test_one_input(data: bytes) -> None:
    protocol = GatewayProtocol()
    events = 0
    for frame in frames(data):
        if events > MAX_REPLAYED_EVENTS:
            break
        reply = protocol.answer(frame)
        header = parse_header(reply)
        check_payload(header, len(reply) - WIRE_HEADER_SIZE)
        if header.kind in (WireKind.REPORTS, WireKind.ERROR):
            assert header.seq == seq_of(frame), (header, frame[:16])
            events += len(frame) // _EVENT_SIZE
        else:
            assert header.kind in (WireKind.READY, WireKind.FINISHED), header


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
