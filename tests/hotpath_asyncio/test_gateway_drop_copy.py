"""The Python gateway's drop-copy without a Redis: the session is served, its reports are
counted (not kept), and its figures have every key, as the Rust gateway's do."""

from __future__ import annotations

import socket

from hotpath_asyncio.gateway.drop_copy import DropCopySettings, GatewayDropCopy
from hotpath_format import REPORT_DTYPE


def test_a_session_whose_redis_is_not_there_counts_its_reports_unpublished() -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    copy = GatewayDropCopy(DropCopySettings(f"redis://127.0.0.1:{port}", "gw"))
    sent = copy.open(2)
    sent.add(bytes(3 * REPORT_DTYPE.itemsize), 3)
    assert sent.report_count() == 3 and sent.report_records(0, 3) == b""  # counted only
    summary = copy.summary()
    (figures,) = summary["sessions"]
    assert (figures["session"], figures["prefix"]) == (2, "gw:session-2")
    assert (figures["produced"], figures["published"], figures["unpublished"]) == (3, 0, 3)
    assert f"127.0.0.1:{port}" in figures["error"]
    assert set(figures) >= {"backfilled", "overflowed", "max_lag", "outage_s"}
