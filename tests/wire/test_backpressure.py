"""Overload shows as backpressure, never as loss or unbounded memory.

The client sends frames and reads nothing. Every queue between it and the gateway fills in
turn: the client's receive queue and the kernel's socket buffers with replies, then the
gateway's send queue (ZeroMQ's high-water mark, 1,000 messages); from then on a reply waits
(``ROUTER_MANDATORY``), the gateway reads nothing more, and its receive queue, the kernel and
the client's send queue fill with frames, until the client's own send blocks. The client
then reads: every frame it sent has exactly one answer, in order.

The bound on the gateway's memory: what ZeroMQ holds for it, at most 1,000 replies (4.1 kB
each) and 1,000 frames (3.1 kB) here, about 7 MB, plus the frame in hand. Orders of an
unknown account are refused without leaving state in the engine, and the gateway keeps no
report once sent, so nothing else grows. ``RSS_GROWTH_BOUND_KB`` leaves room for the
allocators on top; a gateway that read ahead without bound would hold everything the client
sent (tens of MB at the stall) and never make the client's send block at all.
"""

from __future__ import annotations

import signal

import numpy as np
from tests.wire.conftest import Scenario
from tests.wire.support import (
    GatewayProcess,
    WireClient,
    events_frame,
    refused_orders,
    send_until_pushed_back,
)

from hotpath_format import REPORT_DTYPE, ReportKind, report_digest
from hotpath_format.codes import WireKind

FRAME_EVENTS = 64
MAX_FRAMES = 40_000
"""The most frames the client offers (120 MB): a gateway that has not pushed back by then
never will."""
STALL_MS = 1_000
"""A send blocked this long means the gateway has stopped reading (it handles a frame in
well under a millisecond)."""
RSS_GROWTH_BOUND_KB = 32 * 1024


def test_a_client_that_does_not_read_is_pushed_back_and_loses_nothing(
    gateway: GatewayProcess, smoke: Scenario
) -> None:
    client = WireClient(gateway.endpoint, sndtimeo=STALL_MS)
    try:
        client.start(smoke.meta)
        account = len(smoke.meta.accounts) + 7

        def frame(seq: int) -> bytes:
            return events_frame(seq, refused_orders(seq * FRAME_EVENTS, FRAME_EVENTS, account))

        # warm: the first frame answered, so the baseline includes a working session
        first = client.request(frame(1))
        assert first.header.count == FRAME_EVENTS, first
        baseline_kb = gateway.status_kb("VmRSS")

        sent = 1 + send_until_pushed_back(client, frame, range(2, MAX_FRAMES + 1))
        assert sent < MAX_FRAMES, (
            f"{gateway.name} took {sent} frames ({sent * len(frame(1)) >> 20} MB) from a "
            "client that read nothing and never pushed back"
        )
        at_stall_kb = gateway.status_kb("VmRSS")

        replies = [client.receive() for _ in range(sent - 1)]
        assert [(r.header.kind, r.header.seq) for r in replies] == [
            (WireKind.REPORTS, seq) for seq in range(2, sent + 1)
        ]
        reports = np.concatenate([first.reports(), *(r.reports() for r in replies)])
        n = sent * FRAME_EVENTS
        assert len(reports) == n
        assert np.array_equal(reports["seq"], np.arange(1, n + 1))
        assert np.array_equal(reports["event_index"], np.arange(n))
        assert np.array_equal(reports["order_id"], np.arange(FRAME_EVENTS, FRAME_EVENTS + n))
        assert np.all(reports["kind"] == ReportKind.REJECT)
        assert not client.socket.poll(100), "an answer more than the frames sent"

        finished = client.finish()
        assert finished["events"] == n
        assert finished["digest"] == report_digest(reports.astype(REPORT_DTYPE))
        peak_kb = max(at_stall_kb, gateway.status_kb("VmHWM"))
    finally:
        client.close()
    assert peak_kb - baseline_kb <= RSS_GROWTH_BOUND_KB, (
        f"{gateway.name} grew from {baseline_kb} kB to {peak_kb} kB holding {sent} frames"
    )
    exit_code, stopped = gateway.stop(signal.SIGTERM)
    assert exit_code == 0
    assert stopped["frames"] == sent + 2  # START, the frames, FINISH
    print(f"{gateway.name}: pushed back after {sent} frames, RSS +{peak_kb - baseline_kb} kB")
