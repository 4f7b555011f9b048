"""CPU time and memory of the worker process."""

from __future__ import annotations

import resource
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class CpuSnapshot:
    wall_ns: int
    user_s: float
    system_s: float

    @classmethod
    def take(cls) -> CpuSnapshot:
        ru = resource.getrusage(resource.RUSAGE_SELF)
        return cls(time.perf_counter_ns(), ru.ru_utime, ru.ru_stime)

    def since(self, earlier: CpuSnapshot) -> dict[str, float]:
        cpu = (self.user_s - earlier.user_s) + (self.system_s - earlier.system_s)
        wall = (self.wall_ns - earlier.wall_ns) / 1e9
        return {
            "cpu_s": cpu,
            "wall_s": wall,
            "user_s": self.user_s - earlier.user_s,
            "system_s": self.system_s - earlier.system_s,
        }


def peak_rss_bytes() -> int:
    """High-water mark of this process's resident set.

    ``VmHWM`` belongs to the process's own address space, which exec replaced; ``ru_maxrss``
    would also remember the parent's resident size inherited at fork, so a worker forked
    from a big orchestrator would look big. ``ru_maxrss`` is the fallback off Linux.
    """
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def current_rss_bytes() -> int:
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * resource.getpagesize()
