"""Staging folders: claimed by one process, swept only when provably dead, never losing
finished work (``hotpath_lab.atomic``); run ids unique within a second (``run_folders``)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from hotpath_lab.atomic import (
    OWNER,
    atomic_directory,
    first_free_directory,
    remove_dead_staging,
)
from hotpath_lab.storage import run_folders

# Enters atomic_directory, says so, then waits for its end (SIGKILL, or stdin closing).
HOLDER = textwrap.dedent(
    """
    import sys
    from hotpath_lab.atomic import atomic_directory
    with atomic_directory(sys.argv[1]) as staging:
        (staging / "half-written").write_text("x")
        print(staging, flush=True)
        sys.stdin.read()
    """
)


def hold(target: Path) -> tuple[subprocess.Popen[str], Path]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(target)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    return proc, Path(proc.stdout.readline().strip())


def kill(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    if proc.stdin is not None:
        proc.stdin.close()


def test_a_killed_runs_staging_is_removed_and_a_live_ones_kept(tmp_path: Path) -> None:
    dead, dead_staging = hold(tmp_path / "dead")
    live, live_staging = hold(tmp_path / "live")
    with dead, live:
        owner = json.loads((dead_staging / OWNER).read_text())
        assert owner["pid"] == dead.pid and owner["boot_id"]
        kill(dead)
        assert dead_staging.is_dir()  # SIGKILL: nothing could clean up
        assert remove_dead_staging(tmp_path) == [dead_staging]
        assert not dead_staging.exists()
        assert live_staging.is_dir()
        assert live.stdin is not None
        live.stdin.close()
        assert live.wait(timeout=10) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["live"]
    assert sorted(p.name for p in (tmp_path / "live").iterdir()) == ["half-written"]


def test_a_staging_folder_without_an_owner_is_not_proven_dead(tmp_path: Path) -> None:
    unknown = tmp_path / ".old.partial"  # an older hotpath's, or killed before it locked
    unknown.mkdir()
    assert remove_dead_staging(tmp_path) == []
    assert unknown.is_dir()


def test_the_next_directory_made_beside_it_sweeps_a_dead_staging_folder(tmp_path: Path) -> None:
    dead, staging = hold(tmp_path / "a")
    with dead:
        kill(dead)
    with atomic_directory(tmp_path / "b") as new:
        assert not staging.exists()
        (new / "f").write_text("x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b"]


def test_two_runs_with_one_id_get_two_folders(tmp_path: Path) -> None:
    """The second run of a second claims ``<id>-2`` while the first is still measuring,
    and both renames succeed."""
    run_id = "20261206T120000Z-abcdef1234"
    with first_free_directory(run_folders(tmp_path, "smoke", run_id)) as (first, a):
        with first_free_directory(run_folders(tmp_path, "smoke", run_id)) as (second, b):
            (b / "run.json").write_text("{}")
        (a / "run.json").write_text("{}")
    assert first.name == run_id
    assert second.name == f"{run_id}-2"
    assert (first / "run.json").is_file() and (second / "run.json").is_file()
    with first_free_directory(run_folders(tmp_path, "smoke", run_id)) as (third, _):
        pass
    assert third.name == f"{run_id}-3"


def test_a_failed_final_rename_keeps_the_finished_work(tmp_path: Path) -> None:
    target = tmp_path / "run"
    with (
        pytest.raises(OSError, match="its content is kept there"),
        atomic_directory(target) as staging,
    ):
        (staging / "run.json").write_text("{}")
        target.mkdir()  # someone made it outside the protocol meanwhile
        (target / "theirs").write_text("x")
    assert (staging / "run.json").read_text() == "{}"
    assert not (staging / OWNER).exists()  # so no sweep can take it for a dead run
    assert remove_dead_staging(tmp_path) == []


def test_an_existing_target_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    with pytest.raises(FileExistsError, match="already exists"), atomic_directory(tmp_path / "x"):
        pass
    assert os.listdir(tmp_path) == ["x"]
