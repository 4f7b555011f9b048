"""The worker's derived figures, measured on a machine made busy on purpose."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from hotpath_format import EVENT_DTYPE, write_events
from hotpath_lab.drivers.calibration import WorkBuild
from hotpath_lab.options import Job, RunOptions
from hotpath_lab.worker import run_worker

RATE, EVENTS = 5_000.0, 10_000  # 2 s of open-loop pacing, if the loaded worker keeps up
META = {"schema": 1, "instruments": [], "venues": [{"id": 0, "name": "v"}], "accounts": []}


@pytest.fixture
def loaded_machine() -> Iterator[int]:
    """One more spinning process than the machine has cores, for the test's duration."""
    n = (os.cpu_count() or 1) + 1
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]
    try:
        yield n
    finally:
        for p in spinners:
            p.kill()
            p.wait()


def cpu_per_event_s(iterations: int, n: int = 20_000) -> float:
    """What one call of the calibration build costs in CPU time (not wall time)."""
    handle = WorkBuild(iterations).create(None, 0, stage_timing=False).handle  # type: ignore[arg-type]
    start = time.process_time()
    for i in range(n):
        handle(i)
    return (time.process_time() - start) / n


@pytest.mark.slow
def test_busy_share_is_the_builds_cpu_even_on_a_loaded_machine(
    tmp_path: Path, loaded_machine: int
) -> None:
    scenario = tmp_path / "work.hpe"
    records = np.zeros(EVENTS, EVENT_DTYPE)
    records["kind"] = 4
    write_events(scenario, META, records)
    spec = "hotpath_lab.drivers.calibration:work_2000"
    options = RunOptions(
        builds=(spec,), pace=f"rate:{RATE}", warmup=0, throughput=False, overhead=False,
        jitter_seconds=0,
    )  # fmt: skip
    job = Job(
        kind="measure", build=spec, scenario_path=str(scenario), out=str(tmp_path),
        options=options,
    )  # fmt: skip
    timed = run_worker(job)["timed_pass"]
    busy = timed["busy_cpu_utilisation"]
    assert 0.0 < busy <= timed["cpu_s"] / timed["wall_s"], timed
    # CPU seconds, not shares: if the starved worker falls behind the pace, the pass takes
    # longer and the share drops, but the calls still need the same CPU time
    busy_cpu_s = busy * timed["wall_s"]
    expected_cpu_s = cpu_per_event_s(2_000) * EVENTS
    # the driver's own per-event work (decode, stamps) counts as busy too, and the polling's
    # CPU is estimated from its clock gaps: within a factor 1.4 of the calls' own CPU
    assert expected_cpu_s / 1.4 <= busy_cpu_s <= expected_cpu_s * 1.4, (busy, timed)


@pytest.mark.slow
def test_the_native_loop_reports_a_busy_share_on_a_loaded_machine(
    tmp_path: Path, loaded_machine: int
) -> None:
    """The defect this replaced: on a loaded machine every build read 0 % busy, because the
    native loop's spin *wall* time (inflated by preemption) was subtracted from CPU time."""
    from hotpath_lab.scenarios import build_scenario

    options = RunOptions(
        builds=("rust-native",), speed=4.0, warmup=0, throughput=False, overhead=False,
        jitter_seconds=0,
    )  # fmt: skip
    job = Job(
        kind="measure", build="rust-native", scenario_path=str(build_scenario("smoke")),
        out=str(tmp_path), options=options,
    )  # fmt: skip
    timed = run_worker(job)["timed_pass"]
    assert 0.0 < timed["busy_cpu_utilisation"] <= timed["cpu_s"] / timed["wall_s"], timed
    assert 0 <= timed["spin_lost_s"] <= timed["spin_s"], timed
