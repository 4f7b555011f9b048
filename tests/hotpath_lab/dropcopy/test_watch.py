"""``hotpath watch --once`` renders a publishing row from what the streams hold; the live
view follows a pass that starts after it and ends on Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from tests.dropcopy_support import GrowingSource, new_prefix, random_reports

from hotpath_dropcopy import DropCopyPublisher
from hotpath_format import ReportKind
from hotpath_lab.cli import main
from hotpath_lab.dropcopy.index import announce_end, announce_start
from hotpath_lab.dropcopy.server import RedisServer, free_port


def test_once_renders_the_runs_rows(
    redis_server: RedisServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = redis_server.url
    reports = random_reports(1_500, seed=21)
    prefix = new_prefix()
    run = f"watch-{prefix[-20:-10]}"
    announce_start(url, run, "python@drop-copy", prefix, "smoke")
    publisher = DropCopyPublisher(url, prefix, GrowingSource(reports), snapshot_every=1_000)
    publisher.start()
    publisher.finish()
    announce_end(url, prefix, 1_600)  # as if 100 reports never arrived: a lag of 100

    assert main(["watch", "--redis", url, "--run", run, "--once"]) == 0
    out = capsys.readouterr().out
    assert f"run {run}" in out
    row = next(line for line in out.splitlines() if "python@drop-copy" in line)
    fills = int((reports["kind"] == ReportKind.FILL).sum())
    assert "smoke" in row and "ended" in row and "1,500" in row and f"{fills:,}" in row
    cells = [c.strip() for c in row.split("│")]
    assert cells[9:11] == ["100", "1,500"], "the lag behind what was produced; the snapshot"


def test_an_unreachable_server_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"redis://127.0.0.1:{free_port()}"
    assert main(["watch", "--redis", url, "--once"]) == 2
    assert f"no Redis answering at {url}" in capsys.readouterr().err


def test_the_live_view_follows_a_pass_that_starts_after_it_until_ctrl_c(
    redis_server: RedisServer,
) -> None:
    url = redis_server.url
    reports = random_reports(3_000, seed=22)
    prefix = new_prefix()
    run = f"live-{prefix[-20:-10]}"
    client = redis.Redis.from_url(url)
    before = len(client.client_list())
    hotpath = Path(sys.executable).with_name("hotpath")
    watcher = subprocess.Popen(
        [str(hotpath), "watch", "--redis", url, "--run", run, "--interval", "0.1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "220"},
    )
    try:
        # the watcher is connected (and refreshing an empty view) before anything is published
        deadline = time.monotonic() + 30
        while len(client.client_list()) <= before:
            assert watcher.poll() is None, watcher.communicate()
            assert time.monotonic() < deadline, "the watcher never connected"
            time.sleep(0.05)
        announce_start(url, run, "rust-ffi@drop-copy", prefix, "smoke")
        publisher = DropCopyPublisher(url, prefix, GrowingSource(reports), snapshot_every=1_000)
        publisher.start()
        publisher.finish()
        announce_end(url, prefix, len(reports))
        time.sleep(0.5)  # a few refreshes
        watcher.send_signal(signal.SIGINT)
        out, err = watcher.communicate(timeout=30)
    finally:
        if watcher.poll() is None:
            watcher.kill()
        client.close()
    assert watcher.returncode == 0, err
    # a terminal redraws in place; a pipe gets the last view when the watcher stops
    row = next(line for line in out.splitlines() if "rust-ffi@drop-copy" in line)
    cells = [c.strip() for c in row.split("│")]
    assert cells[2:4] == ["ended", "3,000"], row
    assert cells[8:11] == ["3,000", "0", "3,000"], "last seq, no lag, the last snapshot"
