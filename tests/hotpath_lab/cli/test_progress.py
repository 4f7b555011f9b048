"""Progress where nobody watches a terminal: plain, periodic lines (CI logs)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
from rich.console import Console

from hotpath_format import EVENT_DTYPE, write_events
from hotpath_lab.cli.progress import ProgressDisplay

META = {"schema": 1, "instruments": [], "venues": [{"id": 0, "name": "v"}], "accounts": []}


def test_plain_lines_at_start_periodically_and_at_the_end() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=False)
    with ProgressDisplay(console, interval_s=0.0) as display:
        display.update("python     timed", 0, 100)
        display.update("python     timed", 50, 100)
        display.update("python     timed", 100, 100)
        display.update("python     timed", 100, 100)  # nothing more once a task is done
    lines = out.getvalue().splitlines()
    assert [line.split("] ", 1)[1] for line in lines] == [
        "python     timed: 0/100 (0%)",
        "python     timed: 50/100 (50%)",
        "python     timed: done",
    ]


def test_lines_are_rate_limited_per_task() -> None:
    out = io.StringIO()
    with ProgressDisplay(Console(file=out, force_terminal=False), interval_s=3600) as display:
        for done in range(1000):
            display.update("a", done, 1000)
            display.update("b", done, 1000)
        display.update("a", 1000, 1000)
    text = out.getvalue()
    assert text.count("] a:") == 2 and text.count("] b:") == 1, text


def test_a_bench_writing_to_a_pipe_prints_its_progress(tmp_path: Path) -> None:
    scenario = tmp_path / "two-seconds.hpe"
    records = np.zeros(20_000, EVENT_DTYPE)
    records["kind"] = 4
    records["ts"] = np.arange(20_000, dtype=np.uint64) * 100_000  # 10,000 events/s
    write_events(scenario, META, records)
    hotpath = str(Path(sys.executable).parent / "hotpath")
    command = [
        hotpath, "bench", "--scenario", str(scenario),
        "--builds", "hotpath_lab.drivers.calibration:spin_20us", "--warmup", "0",
        "--jitter-seconds", "0", "--no-throughput", "--no-overhead",
        "--results-dir", str(tmp_path / "results"),
    ]  # fmt: skip
    proc = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    timed = [line for line in proc.stderr.splitlines() if "spin-20000ns timed" in line]
    assert len(timed) >= 2, proc.stderr  # seen while it ran, and when it ended
    assert timed[-1].endswith("timed     : done"), proc.stderr
    assert "/20,000 (" in timed[0], proc.stderr
