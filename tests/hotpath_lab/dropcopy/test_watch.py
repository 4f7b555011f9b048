"""``hotpath watch --once`` renders a publishing row from what the streams hold."""

from __future__ import annotations

import pytest
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
