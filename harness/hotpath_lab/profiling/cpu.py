"""CPU utilisation and memory of a worker over its life, sampled from the parent process.

A thread in the orchestrator reads ``/proc/<pid>/task/*/schedstat`` (nanoseconds on CPU per
thread), ``/proc/<pid>/stat`` (user and system ticks, thread count) and
``/proc/<pid>/statm`` (resident pages) every ``period_s``. Nothing runs inside the measured
process, and the parent's cost is one wake-up per period on the other core. Samples carry
the worker's current phase (from its progress messages) and ``CLOCK_MONOTONIC`` time, so
they can be put on the same time axis as the interval log and the GC pauses (both
relative to the timed pass's ``t0``).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CSV_HEADER = "t_ms,phase,cpu_pct,user_pct,system_pct,rss_bytes,threads"


@dataclass(frozen=True, slots=True)
class ProcSample:
    t_ns: int
    """``time.perf_counter_ns()`` of the parent (the same clock as the worker's stamps)."""
    phase: str
    cpu_ns: int
    """Σ over the threads alive at that moment of their time on CPU."""
    user_ticks: int
    system_ticks: int
    rss_bytes: int
    threads: int


def read_proc(pid: int, phase: str = "") -> ProcSample | None:
    """One sample of ``pid``, or ``None`` once the process is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
        with open(f"/proc/{pid}/statm") as f:
            resident = int(f.read().split()[1])
        cpu_ns = 0
        for task in os.listdir(f"/proc/{pid}/task"):
            with (
                contextlib.suppress(FileNotFoundError, ProcessLookupError),
                open(f"/proc/{pid}/task/{task}/schedstat") as f,
            ):
                cpu_ns += int(f.read().split()[0])
    except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
        return None
    if resident == 0:
        return None  # a zombie: exited, not yet reaped
    # the command name may hold spaces and parentheses: fields start after the last ')'
    rest = stat[stat.rindex(")") + 2 :].split()
    return ProcSample(
        t_ns=time.perf_counter_ns(),
        phase=phase,
        cpu_ns=cpu_ns,
        user_ticks=int(rest[11]),
        system_ticks=int(rest[12]),
        rss_bytes=resident * PAGE_SIZE,
        threads=int(rest[17]),
    )


@dataclass
class CpuTrace:
    """The samples of one worker, oldest first."""

    samples: list[ProcSample] = field(default_factory=list)
    period_s: float = 0.1

    def rows(self, t0_ns: int) -> list[tuple[float, str, float, float, float, int, int]]:
        """One row per interval between consecutive samples, stamped at its end."""
        out = []
        for a, b in zip(self.samples, self.samples[1:], strict=False):
            dt = (b.t_ns - a.t_ns) / 1e9
            if dt <= 0:
                continue
            # a thread that exited takes its schedstat with it: never report negative use
            cpu = max(0, b.cpu_ns - a.cpu_ns) / 1e9 / dt
            user = max(0, b.user_ticks - a.user_ticks) / CLOCK_TICKS / dt
            system = max(0, b.system_ticks - a.system_ticks) / CLOCK_TICKS / dt
            out.append(
                (
                    (b.t_ns - t0_ns) / 1e6,
                    b.phase,
                    100 * cpu,
                    100 * user,
                    100 * system,
                    b.rss_bytes,
                    b.threads,
                )
            )
        return out

    def to_csv(self, t0_ns: int) -> str:
        lines = [CSV_HEADER]
        for t, phase, cpu, user, system, rss, threads in self.rows(t0_ns):
            lines.append(f"{t:.3f},{phase},{cpu:.2f},{user:.1f},{system:.1f},{rss},{threads}")
        return "\n".join(lines) + "\n"

    def summary(self, t0_ns: int) -> dict[str, Any]:
        rows = self.rows(t0_ns)
        timed = [r[2] for r in rows if r[1] == "timed"]
        return {
            "period_s": self.period_s,
            "samples": len(self.samples),
            "timed_mean_cpu_pct": sum(timed) / len(timed) if timed else None,
            "timed_max_cpu_pct": max(timed) if timed else None,
            "max_cpu_pct": max((r[2] for r in rows), default=None),
            "peak_rss_sampled_bytes": max((s.rss_bytes for s in self.samples), default=0),
        }


class CpuSampler:
    """Samples a child process from a thread of the parent until ``stop()``."""

    def __init__(self, pid: int, period_s: float = 0.1) -> None:
        self.pid = pid
        self.phase = "start"
        self._trace = CpuTrace(period_s=period_s)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"cpu-sampler-{pid}", daemon=True)

    def start(self) -> CpuSampler:
        self._thread.start()
        return self

    def mark_phase(self, phase: str) -> None:
        """The worker reported progress in ``phase``; later samples carry that label."""
        if phase:
            self.phase = phase

    def _run(self) -> None:
        period = self._trace.period_s
        next_at = time.perf_counter()
        while not self._stop.is_set():
            sample = read_proc(self.pid, self.phase)
            if sample is None:
                return
            self._trace.samples.append(sample)
            next_at += period
            self._stop.wait(max(0.0, next_at - time.perf_counter()))

    def stop(self) -> CpuTrace:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        return self._trace


def attach_cpu_trace(result: dict[str, Any], trace: CpuTrace, folder: Path) -> None:
    """Writes ``cpu-<build>.csv`` beside the worker's files and notes it in its result.

    Times are relative to the timed pass's ``t0`` (``timed_pass.t0_ns`` in the result), the
    time base of the interval log and ``gc-<build>.csv``.
    """
    from hotpath_lab.atomic import atomic_write_bytes

    if not trace.samples:
        return
    t0 = int(result.get("timed_pass", {}).get("t0_ns") or trace.samples[0].t_ns)
    name = f"cpu-{result['build']}.csv"
    atomic_write_bytes(folder / name, trace.to_csv(t0).encode())
    result.setdefault("files", {})["cpu_csv"] = name
    result["cpu_samples"] = trace.summary(t0)


@contextlib.contextmanager
def sample_cpu(pid: int, period_s: float = 0.1) -> Iterator[CpuSampler]:
    sampler = CpuSampler(pid, period_s).start()
    try:
        yield sampler
    finally:
        sampler.stop()
