"""The lab's redis-server: up on a free loopback port, persistent across a restart, clear
errors when it cannot run."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis
from tests.dropcopy_support import lab_redis

from hotpath_lab.dropcopy.server import RedisServer, RedisServerError, RedisUnavailable


def test_a_restart_keeps_what_was_written(tmp_path: Path) -> None:
    for server in lab_redis(tmp_path / "data"):
        assert server.url == f"redis://127.0.0.1:{server.port}"
        client = redis.Redis.from_url(server.url)
        client.xadd("s", {"records": b"\x00\x01"}, id="7-0")
        pid = server.pid
        server.restart()
        assert server.pid != pid
        assert client.xrange("s") == [(b"7-0", {b"records": b"\x00\x01"})]
        assert (tmp_path / "data" / "appendonlydir").is_dir()
        client.close()
        server.stop()
        with pytest.raises(redis.ConnectionError):
            redis.Redis.from_url(server.url).ping()


def test_a_taken_port_is_an_error_quoting_the_log(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    with pytest.raises(RedisServerError, match="Address already in use"):
        RedisServer(tmp_path, redis_server.port).start()


def test_no_binary_is_redis_unavailable(tmp_path: Path) -> None:
    with pytest.raises(RedisUnavailable, match="no 'no-such-redis-server' binary"):
        RedisServer(tmp_path, binary="no-such-redis-server")
