"""The phase-2 hybrid publishes its drop-copy through the Rust engine that owns its report
stream (a Python thread cannot read that engine): every report once, as ``report_array``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hotpath_rs import _native
from tests.dropcopy_support import lab_redis, new_prefix
from tests.hotpath_asyncio.support import BUY, SELL, delta, make_meta, new

from hotpath_hybrid import PythonValidationFront
from hotpath_lab.dropcopy.server import RedisServer
from hotpath_lab.dropcopy.verify import check_exactly_once


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    yield from lab_redis(tmp_path / "redis")


def test_the_rust_engines_drop_copy_publishes_the_fronts_reports(
    redis_server: RedisServer,
) -> None:
    if not hasattr(_native.Engine, "start_drop_copy"):
        pytest.skip("hotpath_rs was built before its drop-copy: run make setup")
    front = PythonValidationFront(make_meta())
    prefix = new_prefix()
    front.start_drop_copy(redis_server.url, prefix, snapshot_every=2)
    events = [delta(SELL, 101, 5), new(1, BUY, 101, 2), new(2, BUY, 101, 9), new(3, BUY, 90, 1)]
    for i, ev in enumerate(events):
        front.handle(i, *ev)
    front.handle(4, *new(4, BUY, 101, 1, venue=9))  # a Python-side reject
    figures = front.finish_drop_copy()
    reports = front.report_array()
    assert figures["published"] == len(reports) >= 5 and figures["error"] is None
    check = check_exactly_once(redis_server.url, prefix, reports, snapshot_every=2)
    assert check["exactly_once"], check
