"""The lab's redis-server: up on a free loopback port, persistent across a restart, clear
errors when it cannot run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from tests.dropcopy_support import lab_redis

from hotpath_lab.dropcopy.server import (
    RedisServer,
    RedisServerError,
    RedisUnavailable,
    find_binary,
    free_port,
)


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


def test_make_redis_runs_the_server_in_the_foreground_at_idle_priority(tmp_path: Path) -> None:
    """``make redis``: ``python -m hotpath_lab.dropcopy.server`` serves until SIGTERM, its
    ``redis-server`` under ``SCHED_IDLE`` (it yields to the order path, docs/dropcopy.md)."""
    try:
        find_binary()
    except RedisUnavailable as exc:
        pytest.skip(f"needs a real Redis server: {exc}")
    port = free_port()
    log = tmp_path / "server.err"
    with log.open("wb") as err, subprocess.Popen(
        [sys.executable, "-m", "hotpath_lab.dropcopy.server", "--port", str(port),
         "--dir", str(tmp_path / "data")],
        stderr=err,
    ) as proc:  # fmt: skip
        _answers_at_idle_priority(proc, port, log)


def _answers_at_idle_priority(proc: subprocess.Popen[bytes], port: int, log: Path) -> None:
    try:
        client = redis.Redis(port=port)
        deadline = time.monotonic() + 20
        while True:
            try:
                assert client.ping()
                break
            except redis.ConnectionError:
                assert proc.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "the server never answered"
                time.sleep(0.05)
        server_pid = int(client.info("server")["process_id"])
        assert os.sched_getscheduler(server_pid) == os.SCHED_IDLE
        client.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
