"""docs/results.md's promise, "an interrupted run leaves nothing", tried on real processes.

``hotpath bench`` is started and hit at a random moment (seeded) with SIGKILL, SIGTERM or
SIGINT, sent to the main process alone (its workers get nothing from us). After each trial:
no worker still runs, nothing was left in ``$TMPDIR``, SIGTERM and SIGINT left no staging
folder, SIGKILL's staging folder is one the next run can prove dead and remove, and the
results store lists every finished run without complaint. A last full run then sweeps.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from hotpath_lab.atomic import STAGING_SUFFIX, remove_dead_staging
from hotpath_lab.storage import ResultsError, iter_runs

GOLDEN = Path(__file__).resolve().parents[2] / "golden" / "events-v1.hpe"
TRIALS = 30
SEED = 14
SIGNALS = (signal.SIGKILL, signal.SIGTERM, signal.SIGINT)


def bench(root: Path, tmp: Path) -> subprocess.Popen[bytes]:
    """The golden file's 5 events at 4 a second: the worker lives long enough to be
    orphaned when its harness goes."""
    argv = [
        str(Path(sys.executable).with_name("hotpath")), "bench", "--scenario", str(GOLDEN),
        "--builds", "python", "--warmup", "2", "--jitter-seconds", "0", "--no-throughput",
        "--no-overhead", "--pace", "rate:4", "--results-dir", str(root),
    ]  # fmt: skip
    env = {**os.environ, "TMPDIR": str(tmp)}
    return subprocess.Popen(
        argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def processes_mentioning(text: str) -> list[int]:
    """Live processes whose command line names ``text`` (a worker names its job file)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if text.encode() in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def survivors(where: Path, wait_s: float = 1.0) -> list[int]:
    """Processes of the run still alive ``wait_s`` after it ended (the kernel's SIGKILL to
    the children of a dead process is immediate; a second is for a loaded machine)."""
    deadline = time.monotonic() + wait_s
    while (left := processes_mentioning(str(where))) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


@pytest.mark.slow
def test_an_interrupted_bench_leaves_nothing(tmp_path: Path) -> None:
    root, tmp = tmp_path / "results", tmp_path / "tmp"
    tmp.mkdir()
    started = time.monotonic()
    assert bench(root, tmp).wait(timeout=300) == 0
    duration = time.monotonic() - started
    rng = random.Random(SEED)
    leftovers: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    for trial in range(TRIALS):
        sig = SIGNALS[trial % len(SIGNALS)]
        proc = bench(root, tmp)
        time.sleep(rng.uniform(0.05, duration * 1.1))
        os.kill(proc.pid, sig)
        code = proc.wait(timeout=60)
        codes[f"{sig.name} {code}"] += 1
        # finished first (0), handled (128 + n), or hit before Python's handlers were set
        assert code in (0, 128 + sig, -sig), (trial, sig.name, code)
        left = survivors(tmp_path)  # a worker names its job file (in root, or in tmp)
        leftovers["worker still running"] += len(left)
        for pid in left:  # do not let one failure spoil the next trials
            os.kill(pid, signal.SIGKILL)
        stray = list(tmp.iterdir())
        leftovers["file in $TMPDIR"] += len(stray)
        for p in stray:
            p.unlink()
        staging = set(root.glob(f"*/.*{STAGING_SUFFIX}"))
        if sig != signal.SIGKILL:
            leftovers[f"staging folder after {sig.name}"] += len(staging)
        dead = {p for folder in root.iterdir() for p in remove_dead_staging(folder)}
        leftovers["staging folder not provably dead"] += len(staging - dead)
        for p in staging - dead:
            shutil.rmtree(p)
        unreadable: list[ResultsError] = []
        runs = list(iter_runs(root, unreadable=unreadable))
        leftovers["unreadable run"] += len(unreadable)
        assert len(runs) >= 1
    # the next run sweeps what a SIGKILL left (above, the sweep was the test's, to count)
    killed = bench(root, tmp)
    time.sleep(duration * 0.6)
    killed.kill()
    killed.wait()
    left_by_kill = len(list(root.glob(f"*/.*{STAGING_SUFFIX}")))
    assert bench(root, tmp).wait(timeout=300) == 0
    leftovers["staging folder after the next run"] += len(list(root.glob(f"*/.*{STAGING_SUFFIX}")))
    print(f"{TRIALS} trials (seed {SEED}, run {duration:.1f} s): {dict(sorted(codes.items()))}")
    print(
        f"leftovers: {sum(leftovers.values())} {dict(+leftovers)}; a last SIGKILL left "
        f"{left_by_kill} staging folder(s) for the next run to sweep"
    )
    for folder in root.glob("*/*"):
        assert (folder / "run.json").is_file(), f"not a complete run: {folder}"
    assert +leftovers == Counter()


def test_a_worker_killed_by_a_signal_is_reported_with_the_signal_and_its_meaning(
    tmp_path: Path,
) -> None:
    repo = str(Path(__file__).resolve().parents[3])  # the plug-in is tests.hotpath_lab.cli…
    path = os.pathsep.join(p for p in (os.environ.get("PYTHONPATH"), repo) if p)
    done = subprocess.run(
        [
            str(Path(sys.executable).with_name("hotpath")), "bench", "--scenario", str(GOLDEN),
            "--builds", "tests.hotpath_lab.cli.killed_build:build", "--warmup", "0",
            "--jitter-seconds", "0", "--results-dir", str(tmp_path),
        ],
        capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": path},
    )  # fmt: skip
    assert done.returncode == 4, done.stderr
    message = done.stderr.strip().splitlines()[-1]
    assert "killed by SIGKILL: out of memory" in message, message
    assert message.endswith("allocating the order book"), message
    assert not list(tmp_path.rglob("*.partial")) and not list(tmp_path.rglob("run.json"))
