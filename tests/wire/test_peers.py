"""Peers come and go: a client that vanishes with answers owed does not harm the gateway,
and a START from another peer takes the session over (``docs/formats.md``, "Transport")."""

from __future__ import annotations

import signal

from tests.wire.conftest import Scenario
from tests.wire.support import (
    ANSWER_TIMEOUT_S,
    GatewayProcess,
    WireClient,
    events_frame,
    refused_orders,
    send_until_pushed_back,
)

from hotpath_format import report_digest
from hotpath_format.codes import WireKind, WireReject

VANISHED_FRAMES = 200
GARBAGE = b"\xff" * 64
"""Version byte 255: refused (BAD_VERSION), whatever session is open."""


def test_a_client_that_vanishes_owed_answers_does_not_stop_the_gateway(
    gateway: GatewayProcess, smoke: Scenario
) -> None:
    """Its frames reach the gateway (its socket lingers until they are written) and are
    answered to nobody. They are refused frames, so that however the gateway interleaves
    them with the next client's (one session for all peers), they change nothing."""
    gone = WireClient(gateway.endpoint)
    for _ in range(VANISHED_FRAMES):
        gone.send(GARBAGE)
    gone.socket.close(linger=int(ANSWER_TIMEOUT_S * 1000))
    gone.context.term()

    client = WireClient(gateway.endpoint)
    try:
        played = client.session(smoke.meta, smoke.records, 64)
    finally:
        client.close()
    assert played.reports == smoke.reports.tobytes()
    assert played.finished["digest"] == report_digest(smoke.reports)
    exit_code, stopped = gateway.stop(signal.SIGTERM)
    assert exit_code == 0
    assert stopped["sessions"] == 1
    assert set(stopped["rejected_frames"]) <= {"BAD_VERSION"}
    assert stopped["rejected_frames"].get("BAD_VERSION", 0) <= VANISHED_FRAMES


def test_a_start_from_another_peer_takes_the_session_over(
    gateway: GatewayProcess, smoke_head: Scenario
) -> None:
    first, second = WireClient(gateway.endpoint), WireClient(gateway.endpoint)
    try:
        first.start(smoke_head.meta)
        opened = first.request(events_frame(1, smoke_head.records[:100]))
        assert (opened.header.kind, opened.header.seq) == (WireKind.REPORTS, 1), opened
        played = second.session(smoke_head.meta, smoke_head.records, 300)
        # the first peer's session is gone: its next frame has none to join
        late = first.request(events_frame(2, smoke_head.records[100:200]))
    finally:
        first.close()
        second.close()
    # a fresh engine: the first peer's 100 events left nothing in the second's stream
    assert played.reports == smoke_head.reports.tobytes()
    assert played.finished["events"] == len(smoke_head.records)
    assert late.error()[:2] == (WireReject.NO_SESSION, 2)


def test_a_reader_that_stops_and_vanishes_does_not_hold_the_gateway(
    gateway: GatewayProcess, smoke: Scenario
) -> None:
    """A client fills every queue (as in ``test_backpressure``), then goes without reading.
    The gateway, waiting to send it a reply, must not hang: SIGTERM still stops it, within
    its flush time, counting what it could not deliver."""
    gone = WireClient(gateway.endpoint, sndtimeo=1_000)
    gone.start(smoke.meta)
    account = len(smoke.meta.accounts) + 7
    sent = send_until_pushed_back(
        gone, lambda seq: events_frame(seq, refused_orders(seq * 64, 64, account)), range(1, 40_001)
    )
    assert sent < 40_000, "the gateway never pushed back"
    gone.close()

    exit_code, stopped = gateway.stop(signal.SIGTERM)
    assert exit_code == 0
    assert stopped["undeliverable"] >= 1, stopped
