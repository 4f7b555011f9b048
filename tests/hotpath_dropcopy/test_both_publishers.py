"""The two publishers, one contract: the same reports published by the Python publisher and
by the Rust one (``hotpath_rs.publish_drop_copy``) give the same streams in Redis — the same
records in the same order and byte-identical position snapshots as of the same seqs (only
batch boundaries, which carry no meaning, may differ)."""

from __future__ import annotations

import pytest
from tests.dropcopy_support import GrowingSource, new_prefix, random_reports

from hotpath_dropcopy import DropCopyPublisher
from hotpath_lab.dropcopy.client import connect
from hotpath_lab.dropcopy.readback import read_positions, read_reports
from hotpath_lab.dropcopy.server import RedisServer

hotpath_rs = pytest.importorskip("hotpath_rs")


@pytest.mark.parametrize(("n", "every"), [(1, 10_000), (2_500, 300), (7_001, 1_000)])
def test_python_and_rust_publish_identical_streams(
    redis_server: RedisServer, n: int, every: int
) -> None:
    reports = random_reports(n, seed=n)
    py_prefix, rs_prefix = new_prefix(), new_prefix()
    publisher = DropCopyPublisher(
        redis_server.url, py_prefix, GrowingSource(reports), snapshot_every=every
    )
    publisher.start()
    py_figures = publisher.finish()
    rs_figures = hotpath_rs.publish_drop_copy(redis_server.url, rs_prefix, reports, every)
    for figures in (py_figures, rs_figures):
        assert (figures["produced"], figures["published"], figures["error"]) == (n, n, None)
    client = connect(redis_server.url)
    try:
        py, rs = read_reports(client, py_prefix), read_reports(client, rs_prefix)
        py_pos, rs_pos = read_positions(client, py_prefix), read_positions(client, rs_prefix)
    finally:
        client.close()
    assert py.records.tobytes() == rs.records.tobytes() == reports.tobytes()
    assert [p.as_of for p in py_pos] == [p.as_of for p in rs_pos]
    assert len(py_pos) == -(-n // every)
    for a, b in zip(py_pos, rs_pos, strict=True):
        assert a.positions.tobytes() == b.positions.tobytes()
