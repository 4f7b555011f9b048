"""rust-ffi's engine object while a drop-copy has its report vector on loan: its report
count, bytes and digest are those of an engine without one, before and after the log's
capacity, and after the pass the vector is back, filled."""

from __future__ import annotations

from pathlib import Path

import hotpath_rs
from tests.dropcopy_support import new_prefix

from hotpath_format import read_events
from hotpath_lab.dropcopy.server import RedisServer

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "events-v1.hpe"
ROOM = 1 << 16
"""The object's report vector with no orders expected: the log's capacity."""


def test_count_bytes_and_digest_while_attached_equal_a_plain_engines(
    redis_server: RedisServer,
) -> None:
    scenario = read_events(GOLDEN)
    meta, records = scenario.meta.to_json(), scenario.records
    attached, plain = hotpath_rs.Engine(meta), hotpath_rs.Engine(meta)
    attached.start_drop_copy(redis_server.url, new_prefix(), snapshot_every=10_000)

    def same_view() -> None:
        assert attached.report_count() == plain.report_count()
        assert attached.digest() == plain.digest()
        assert attached.report_array().tobytes() == plain.report_array().tobytes()

    same_view()
    # the same stream again and again: duplicate ids are rejected, each reject a report,
    # until the stream is past the log's room and spills
    replays = 0
    while plain.report_count() <= ROOM:
        for engine in (attached, plain):
            engine.replay(records, first_index=replays * len(records))
        replays += 1
        if replays == 1:
            same_view()
    same_view()
    figures = attached.finish_drop_copy()
    assert figures["overflowed"] == plain.report_count() - ROOM > 0, figures
    assert figures["published"] == plain.report_count() and figures["error"] is None
    same_view()
