"""Every malformed frame gets its documented ERROR (``docs/formats.md``, "Rejects") with the
seq it carried, is counted, changes nothing, and the gateway goes on serving correctly."""

from __future__ import annotations

import random
import signal
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from tests.wire.conftest import Scenario
from tests.wire.support import GatewayProcess, WireClient, events_frame

from hotpath_format import EVENT_DTYPE, report_digest
from hotpath_format.codes import WireKind, WireReject
from hotpath_format.meta import canonical_json
from hotpath_format.wire import HEADER_STRUCT, WIRE_MAX_BATCH, WIRE_MAX_TEXT, text_frame

EVENTS = WireKind.EVENTS
KIND_OFFSET: int = EVENT_DTYPE.fields["kind"][1]  # type: ignore[index]


def header(kind: int, count: int, seq: int, *, version: int = 1, flags: int = 0) -> bytes:
    return HEADER_STRUCT.pack(kind, version, flags, count, seq)


def with_kind(records: np.ndarray, at: int, kind: int) -> np.ndarray:
    out = records.copy()
    out["kind"][at] = kind
    return out


def without(d: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in d.items() if k != key}


def garbage(seed: int, n: int) -> bytes:
    return random.Random(seed).randbytes(n)


GARBAGE = garbage(11, 1000)
assert GARBAGE[1] != 1, "the garbage must not carry the version byte by chance"
GARBAGE_RECORDS = garbage(12, 8 * EVENT_DTYPE.itemsize)
GARBAGE_KINDS = GARBAGE_RECORDS[KIND_OFFSET :: EVENT_DTYPE.itemsize]
assert GARBAGE_KINDS[0] not in range(1, 6), "the first garbage record must be refused"


@dataclass(frozen=True)
class Malformed:
    frame: Callable[[Scenario], bytes]
    """The frame, built from a valid scenario's metadata or records."""
    code: WireReject
    seq: int
    """The seq the ERROR must echo."""
    says: str = ""
    """A piece of the message (what it names)."""
    in_session: bool = True
    """Sent with a session open (the session must go on unharmed)."""


CASES: dict[str, Malformed] = {
    "three bytes": Malformed(lambda sc: b"\x02\x01\x00", WireReject.TOO_SHORT, 0),
    "empty": Malformed(lambda sc: b"", WireReject.TOO_SHORT, 0),
    "fifteen bytes": Malformed(lambda sc: header(EVENTS, 1, 9)[:15], WireReject.TOO_SHORT, 0),
    "version 2": Malformed(
        lambda sc: header(EVENTS, 1, 11, version=2) + sc.records[:1].tobytes(),
        WireReject.BAD_VERSION,
        11,
    ),
    "flags set": Malformed(
        lambda sc: header(EVENTS, 1, 12, flags=0x8000) + sc.records[:1].tobytes(),
        WireReject.BAD_VERSION,
        12,
    ),
    "kind 9": Malformed(lambda sc: header(9, 0, 13), WireReject.UNKNOWN_KIND, 13, "9"),
    "a gateway's own kind": Malformed(
        lambda sc: header(WireKind.REPORTS, 0, 14), WireReject.UNKNOWN_KIND, 14, "17"
    ),
    "count above payload": Malformed(
        lambda sc: header(EVENTS, 2, 15) + sc.records[:1].tobytes(), WireReject.BAD_SIZE, 15
    ),
    "a byte beyond the records": Malformed(
        lambda sc: header(EVENTS, 1, 16) + sc.records[:1].tobytes() + b"\0", WireReject.BAD_SIZE, 16
    ),
    "count 0": Malformed(lambda sc: header(EVENTS, 0, 17), WireReject.BAD_SIZE, 17),
    "count over 4096": Malformed(
        lambda sc: (
            header(EVENTS, WIRE_MAX_BATCH + 1, 18)
            + np.resize(sc.records, WIRE_MAX_BATCH + 1).tobytes()
        ),
        WireReject.BAD_SIZE,
        18,
    ),
    "FINISH with a payload": Malformed(
        lambda sc: header(WireKind.FINISH, 0, 0) + b"x", WireReject.BAD_SIZE, 0
    ),
    "START over 1 MiB": Malformed(
        lambda sc: header(WireKind.START, WIRE_MAX_TEXT + 1, 0) + b" " * (WIRE_MAX_TEXT + 1),
        WireReject.BAD_SIZE,
        0,
    ),
    "record 1 of kind 99": Malformed(
        lambda sc: events_frame(20, with_kind(sc.records[:3], 1, 99)),
        WireReject.BAD_RECORD,
        20,
        "record 1",
    ),
    "record 2 of kind 0": Malformed(
        lambda sc: events_frame(21, with_kind(sc.records[:3], 2, 0)),
        WireReject.BAD_RECORD,
        21,
        "record 2",
    ),
    "EVENTS before START": Malformed(
        lambda sc: events_frame(22, sc.records[:2]), WireReject.NO_SESSION, 22, in_session=False
    ),
    "FINISH before START": Malformed(
        lambda sc: header(WireKind.FINISH, 0, 0), WireReject.NO_SESSION, 0, in_session=False
    ),
    "metadata not JSON": Malformed(
        lambda sc: header(WireKind.START, 9, 0) + b"{not json", WireReject.BAD_METADATA, 0
    ),
    "metadata without venues": Malformed(
        lambda sc: text_frame(WireKind.START, canonical_json(without(sc.meta.raw, "venues"))),
        WireReject.BAD_METADATA,
        0,
        "venues",
    ),
    "metadata nested 100k deep": Malformed(
        lambda sc: header(WireKind.START, 100_000, 0) + b"[" * 100_000, WireReject.BAD_METADATA, 0
    ),
    "1000 garbage bytes": Malformed(
        lambda sc: GARBAGE,
        WireReject.BAD_VERSION,
        int.from_bytes(GARBAGE[8:16], "little"),
    ),
    "garbage records": Malformed(
        lambda sc: header(EVENTS, 8, 23) + GARBAGE_RECORDS, WireReject.BAD_RECORD, 23, "record 0"
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_malformed_frame_is_refused_counted_and_harmless(
    gateway: GatewayProcess, client: WireClient, smoke_head: Scenario, case: Malformed
) -> None:
    if case.in_session:
        client.start(smoke_head.meta)
    code, seq, message = client.request(case.frame(smoke_head)).error()
    assert (code, seq) == (case.code, case.seq), message
    assert case.says in message, message

    # nothing was applied and no number taken: the session's stream is a replay from scratch
    if not case.in_session:
        client.start(smoke_head.meta)
    reports = client.play(smoke_head.records, 500)
    finished = client.finish()
    assert reports == smoke_head.reports.tobytes()
    assert finished["digest"] == report_digest(smoke_head.reports)
    assert finished["events"] == len(smoke_head.records)
    assert finished["rejected_frames"] == ({code.name: 1} if case.in_session else {})

    exit_code, stopped = gateway.stop(signal.SIGTERM)
    assert exit_code == 0, gateway.stderr()
    assert stopped["rejected_frames"] == {code.name: 1}
    assert stopped["sessions"] == 1
