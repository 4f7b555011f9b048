"""SIGINT and SIGTERM stop a gateway cleanly in the middle of a stream: it stops reading,
answers every frame it read, prints its summary and exits 0."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
import zmq
from tests.wire.conftest import Scenario
from tests.wire.support import (
    GatewayProcess,
    Reply,
    WireClient,
    chunks,
    events_frame,
)

from hotpath_format.codes import WireKind

FRAME_EVENTS = 4
WINDOW = 32
"""Frames the client keeps in flight: the stream never pauses while the gateway stops."""
BEFORE_SIGNAL = 100
"""Answers received before the signal is sent."""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_mid_stream_stops_the_gateway_after_answering_what_it_read(
    gateway: GatewayProcess, client: WireClient, smoke: Scenario, sig: signal.Signals
) -> None:
    client.start(smoke.meta)
    frames = chunks(smoke.records, FRAME_EVENTS)
    sent = 0
    replies: list[Reply] = []

    def send_next() -> None:
        nonlocal sent
        if sent < len(frames) and gateway.proc.poll() is None:
            try:
                client.socket.send(events_frame(sent + 1, frames[sent]), zmq.NOBLOCK)
            except zmq.Again:
                return
            sent += 1

    for _ in range(WINDOW):
        send_next()
    while len(replies) < BEFORE_SIGNAL:
        replies.append(client.receive())
        send_next()
    gateway.proc.send_signal(sig)
    while gateway.proc.poll() is None:
        if client.socket.poll(20):
            replies.append(client.receive())
            send_next()
    exit_code, stopped = gateway.wait_stopped()
    assert exit_code == 0, gateway.stderr()

    answered = stopped["frames"] - 1  # all but START were EVENTS frames
    assert BEFORE_SIGNAL <= answered < sent, "the signal did not land mid-stream"
    before = len(replies)
    try:
        replies += [client.receive() for _ in range(answered - before)]
    except AssertionError as exc:
        raise AssertionError(
            f"{exc}: {len(replies) - before} of the {answered - before} answers "
            f"still owed arrived; the gateway said {stopped}"
        ) from None
    assert not client.socket.poll(100), "more answers than frames the gateway counted"
    assert [(r.header.kind, r.header.seq) for r in replies] == [
        (WireKind.REPORTS, seq) for seq in range(1, answered + 1)
    ]
    events = sum(len(f) for f in frames[:answered])
    expected = smoke.reports[smoke.reports["event_index"] < events]
    assert b"".join(r.payload for r in replies) == expected.tobytes()
    assert stopped["stopped"] == sig.name
    assert (stopped["sessions"], stopped["events"], stopped["reports"]) == (
        1,
        events,
        len(expected),
    )
    assert stopped["rejected_frames"] == {}


def test_a_signal_while_idle_stops_at_once(gateway: GatewayProcess) -> None:
    exit_code, stopped = gateway.stop(signal.SIGINT)
    assert exit_code == 0
    assert (stopped["stopped"], stopped["frames"], stopped["sessions"]) == ("SIGINT", 0, 0)


def test_the_python_gateway_reports_its_gc_pauses(tmp_path: Path, smoke: Scenario) -> None:
    """The lab measures GC pauses in every Python process; a gateway reports its own."""
    gateway = GatewayProcess("wire-python", tmp_path / "stderr")
    try:
        client = WireClient(gateway.endpoint)
        client.session(smoke.meta, smoke.records, 256)
        client.close()
        exit_code, stopped = gateway.stop(signal.SIGTERM)
    finally:
        gateway.kill()
    assert exit_code == 0
    gc = stopped["gc"]
    assert set(gc) == {"count", "total_ms", "max_ms"}
    assert gc["count"] >= 1, "a session of smoke allocates enough to collect at least once"
    assert 0 < gc["max_ms"] <= gc["total_ms"]
