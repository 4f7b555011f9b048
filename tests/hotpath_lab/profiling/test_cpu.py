"""The parent-side CPU/RSS sampler: reads /proc of a child, labels phases, writes CSV."""

import subprocess
import sys
import time
from pathlib import Path

import pytest

from hotpath_lab.profiling.cpu import (
    CSV_HEADER,
    CpuSampler,
    CpuTrace,
    ProcSample,
    attach_cpu_trace,
    read_proc,
)

BUSY = "import time\nt = time.perf_counter()\nwhile time.perf_counter() - t < 0.8: pass\n"
IDLE = "import time\ntime.sleep(0.8)\n"


def sample_child(code: str) -> CpuTrace:
    with subprocess.Popen([sys.executable, "-c", code]) as proc:
        sampler = CpuSampler(proc.pid, period_s=0.05).start()
        sampler.mark_phase("timed")
        proc.wait()
        return sampler.stop()


def test_a_busy_child_accumulates_cpu_time_and_an_idle_one_does_not() -> None:
    busy, idle = sample_child(BUSY), sample_child(IDLE)
    assert len(busy.samples) >= 3 and len(idle.samples) >= 3
    busy_ns = busy.samples[-1].cpu_ns - busy.samples[0].cpu_ns
    idle_ns = idle.samples[-1].cpu_ns - idle.samples[0].cpu_ns
    assert busy_ns > 10 * max(idle_ns, 1_000_000)
    assert all(s.rss_bytes > 0 and s.threads >= 1 for s in busy.samples)


def test_reading_a_process_that_is_gone_gives_none() -> None:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    assert read_proc(proc.pid) is None


def test_rows_are_per_interval_rates_relative_to_t0_and_never_negative() -> None:
    t0 = 1_000_000_000
    trace = CpuTrace(
        [
            ProcSample(t0 - 100_000_000, "warmup", 0, 0, 0, 10 << 20, 2),
            ProcSample(t0, "timed", 50_000_000, 5, 0, 11 << 20, 2),
            # a thread exited and took its CPU time with it: the sum went down
            ProcSample(t0 + 100_000_000, "timed", 40_000_000, 6, 1, 12 << 20, 1),
        ]
    )
    rows = trace.rows(t0)
    assert [r[0] for r in rows] == [0.0, 100.0]
    assert rows[0][2] == pytest.approx(50.0)  # 50 ms of CPU in 100 ms
    assert rows[1][2] == 0.0
    csv = trace.to_csv(t0).splitlines()
    assert csv[0] == CSV_HEADER
    assert csv[1].startswith("0.000,timed,50.00,")
    summary = trace.summary(t0)
    assert summary["timed_mean_cpu_pct"] == pytest.approx(25.0)
    assert summary["peak_rss_sampled_bytes"] == 12 << 20


def test_the_csv_lands_beside_the_worker_files_and_is_named_in_its_result(
    tmp_path: Path,
) -> None:
    t0 = time.perf_counter_ns()
    trace = CpuTrace(
        [ProcSample(t0, "timed", 0, 0, 0, 1, 1), ProcSample(t0 + 10**8, "timed", 10**7, 1, 0, 1, 1)]
    )
    result = {"build": "python", "timed_pass": {"t0_ns": t0}, "files": {}}
    attach_cpu_trace(result, trace, tmp_path)
    assert result["files"] == {"cpu_csv": "cpu-python.csv"}
    assert (tmp_path / "cpu-python.csv").read_text().startswith(CSV_HEADER)
    assert "timed_mean_cpu_pct" in result["cpu_samples"]
