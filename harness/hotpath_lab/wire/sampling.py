"""The gateway process's CPU time and memory while the generator drives it, from /proc.

The lab's CPU sampler (``profiling.cpu``) reads every thread's time on CPU and the resident
set every 100 ms from the harness, on ``CLOCK_MONOTONIC``: the generator's ``t0_ns`` and
``wall_s`` then say which samples fall in the timed session. CPU in that session is read
off the cumulative CPU time, interpolated at the session's two ends (a 100 ms sample period
puts at most one period's CPU per end in doubt). Peak memory is the kernel's own
high-water mark (``VmHWM``), read just before the gateway is stopped.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

from hotpath_lab.profiling.cpu import CpuTrace, ProcSample

WARMUP, TIMED, AFTER = "warmup", "timed", "after"


@dataclass(frozen=True)
class SessionCpu:
    cpu_s: float
    """CPU time of every thread of the process within [t0, t0 + wall]."""
    wall_s: float

    @property
    def share(self) -> float:
        """Its share of one core (1.0 = a whole core)."""
        return self.cpu_s / self.wall_s if self.wall_s > 0 else 0.0


def cpu_at(samples: list[ProcSample], t_ns: int) -> float:
    """Cumulative CPU seconds at ``t_ns``, linear between the samples around it (the
    nearest sample's value outside them)."""
    if not samples:
        return 0.0
    if t_ns <= samples[0].t_ns:
        return samples[0].cpu_ns / 1e9
    for a, b in itertools.pairwise(samples):
        if a.t_ns <= t_ns <= b.t_ns:
            span = b.t_ns - a.t_ns
            share = (t_ns - a.t_ns) / span if span else 1.0
            return (a.cpu_ns + share * (b.cpu_ns - a.cpu_ns)) / 1e9
    return samples[-1].cpu_ns / 1e9


def session_cpu(trace: CpuTrace, t0_ns: int, wall_s: float) -> SessionCpu:
    """CPU of the process during the generator's timed session."""
    end = t0_ns + round(wall_s * 1e9)
    used = max(0.0, cpu_at(trace.samples, end) - cpu_at(trace.samples, t0_ns))
    return SessionCpu(used, wall_s)


def with_phases(trace: CpuTrace, t0_ns: int, wall_s: float) -> CpuTrace:
    """The trace with each sample labelled by the generator's phase at its time: before
    ``t0`` (the warm-up session, start-up), the timed session, after it."""
    end = t0_ns + round(wall_s * 1e9)

    def phase(s: ProcSample) -> str:
        return WARMUP if s.t_ns < t0_ns else TIMED if s.t_ns <= end else AFTER

    return CpuTrace([replace(s, phase=phase(s)) for s in trace.samples], trace.period_s)


def peak_rss_bytes(pid: int) -> int | None:
    """The process's resident high-water mark (``VmHWM``), or ``None`` if it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None
