"""A session over the wire gives the in-process report stream, byte for byte."""

from __future__ import annotations

import json
import subprocess

import numpy as np
from tests.hotpath_asyncio.streams import ADVERSARIAL, random_scenario
from tests.wire.conftest import Scenario
from tests.wire.support import (
    ANSWER_TIMEOUT_S,
    GATEWAYS,
    GatewayProcess,
    WireClient,
    events_frame,
)

import hotpath_asyncio
from hotpath_format import REPORT_DTYPE, EventKind, report_digest
from hotpath_format.codes import WireKind


def test_the_smoke_scenario_over_the_wire_equals_the_in_process_stream(
    gateway: GatewayProcess, client: WireClient, smoke: Scenario
) -> None:
    """Frames of every size the protocol allows (1 … 4,096 events); the joined REPORTS
    payloads are the Python build's report records, and FINISHED's digest is theirs."""
    ready = client.start(smoke.meta).json()
    assert ready == {"gateway": gateway.build, "engine": gateway.listening["engine"]}
    sizes = [1, 7, 256, 4096, 33]
    payloads = []
    start, seq = 0, 0
    while start < len(smoke.records):
        size = sizes[seq % len(sizes)]
        seq += 1
        reply = client.request(events_frame(seq, smoke.records[start : start + size]))
        assert (reply.header.kind, reply.header.seq) == (WireKind.REPORTS, seq), reply
        assert reply.header.count * REPORT_DTYPE.itemsize == len(reply.payload)
        payloads.append(reply.payload)
        start += size
    finished = client.finish()

    wire = b"".join(payloads)
    expected = smoke.reports.tobytes()
    assert len(wire) == len(expected), (len(wire), len(expected))
    if wire != expected:
        got = np.frombuffer(wire, REPORT_DTYPE)
        first = int(np.flatnonzero(got != smoke.reports)[0])
        raise AssertionError(f"report {first}: {got[first]} != {smoke.reports[first]}")
    assert finished == {
        "events": len(smoke.records),
        "frames": seq + 1,  # the EVENTS frames and FINISH
        "reports": len(smoke.reports),
        "digest": report_digest(smoke.reports),
        "rejected_frames": {},
    }


def test_start_mid_session_discards_the_session(client: WireClient, smoke_head: Scenario) -> None:
    """The second START opens a fresh engine: event numbers restart at 0 and nothing of the
    first session's orders or books remains (its stream equals a replay from scratch)."""
    client.start(smoke_head.meta)
    for seq in (1, 2):
        reply = client.request(events_frame(seq, smoke_head.records[(seq - 1) * 500 : seq * 500]))
        assert reply.header.kind is WireKind.REPORTS, reply
    played = client.session(smoke_head.meta, smoke_head.records, 500)
    assert played.reports == smoke_head.reports.tobytes()
    assert played.finished["digest"] == report_digest(smoke_head.reports)
    assert played.finished["events"] == len(smoke_head.records)


def test_sessions_in_a_row_agree(client: WireClient, smoke_head: Scenario) -> None:
    first = client.session(smoke_head.meta, smoke_head.records, 64)
    second = client.session(smoke_head.meta, smoke_head.records, 1000)
    assert first.reports == second.reports == smoke_head.reports.tobytes()
    assert first.finished["digest"] == second.finished["digest"]


def test_ready_and_the_listening_line_name_the_gateway(
    gateway: GatewayProcess, client: WireClient, smoke_head: Scenario
) -> None:
    assert gateway.listening["gateway"] == gateway.build
    assert gateway.endpoint.startswith("tcp://127.0.0.1:")
    assert not gateway.endpoint.endswith(":0")
    ready = client.start(smoke_head.meta)
    assert ready.header.seq == 0
    assert json.loads(ready.payload)["gateway"] == gateway.build


def test_an_adversarial_stream_over_the_wire_equals_the_in_process_stream(
    client: WireClient,
) -> None:
    """Every field value the framing lets through (bad ids, prices, venues, …) reaches the
    engine and gets its report, as in process: the wire adds no rule of its own. (Kinds
    that are not event kinds, which a file may hold and the engine skips, the framing
    refuses: they are left out.)"""
    meta, records = random_scenario(7, 6_000, ADVERSARIAL)
    records = records[np.isin(records["kind"], [int(k) for k in EventKind])]
    expected = hotpath_asyncio.replay(meta, records).report_array()
    assert len(expected) > 1_000
    played = client.session(meta, records, 100)
    assert played.reports == expected.tobytes()
    assert played.finished["digest"] == report_digest(expected)


def test_a_gateway_that_cannot_bind_says_where_and_fails(gateway: GatewayProcess) -> None:
    """The running gateway holds the port; a second one on it names the endpoint and exits
    with an error, without printing a listening line."""
    second = subprocess.run(
        [*GATEWAYS[gateway.name].command, "--bind", gateway.endpoint],
        capture_output=True,
        text=True,
        timeout=ANSWER_TIMEOUT_S,
    )
    assert second.returncode != 0
    assert gateway.endpoint in second.stderr, second.stderr
    assert "listening" not in second.stdout
