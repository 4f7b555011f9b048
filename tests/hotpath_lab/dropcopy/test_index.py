"""The run index: a start and an end per publishing pass, read back in the order passes
started."""

from __future__ import annotations

import pytest
import redis
from tests.dropcopy_support import new_prefix

from hotpath_format import RUNS_KEY
from hotpath_lab.dropcopy.index import (
    RunIndexError,
    announce_end,
    announce_start,
    latest_run,
    read_index,
)
from hotpath_lab.dropcopy.server import RedisServer


def test_start_then_end(redis_server: RedisServer) -> None:
    url = redis_server.url
    python, rust = new_prefix(), new_prefix()
    announce_start(url, "run-a", "python@drop-copy", python, "smoke")
    announce_start(url, "run-a", "rust-ffi@drop-copy", rust, "smoke")
    announce_end(url, python, 1_234)
    client = redis.Redis.from_url(url)
    passes = {p.prefix: p for p in read_index(client)}
    assert passes[python].ended and passes[python].produced == 1_234
    assert passes[python].row == "python@drop-copy" and passes[python].scenario == "smoke"
    assert passes[python].ended_ms is not None
    assert passes[python].ended_ms >= passes[python].started_ms
    assert not passes[rust].ended and passes[rust].produced is None
    last: list[tuple[bytes, dict[bytes, bytes]]] = client.xrevrange(RUNS_KEY, count=1)  # type: ignore[assignment]
    assert last[0][1][b"state"] == b"end" and last[0][1][b"run"] == b"run-a"
    assert latest_run(read_index(client)) == "run-a"
    client.close()


def test_an_end_without_its_start_is_an_error(redis_server: RedisServer) -> None:
    with pytest.raises(RunIndexError, match="no start of a pass under"):
        announce_end(redis_server.url, new_prefix(), 1)
