"""Which core each side of a wire run gets, and pinning a running process to one.

On a two-core machine the gateway gets one core and the generator the other, so neither
steals the other's time slices (the generator spins, and so does wire-rust with
``--poll spin``). The harness itself only sleeps while they run.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Placement:
    """The core of the gateway and of the generator (``None``: not pinned)."""

    gateway: int | None
    loadgen: int | None


def default_placement() -> Placement:
    """The last allowed core for the gateway, the first for the generator; no pinning with
    fewer than two cores (the two would share one, pinned or not)."""
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2:
        return Placement(None, None)
    return Placement(gateway=cores[-1], loadgen=cores[0])


def check_core(core: int, option: str) -> None:
    """Raises ``ValueError`` naming ``option`` if this process may not run on ``core``."""
    allowed = sorted(os.sched_getaffinity(0))
    if core not in allowed:
        raise ValueError(f"{option} {core}: not a core this process may use ({allowed})")


def pin_process(pid: int, core: int) -> list[int]:
    """Pins every thread of ``pid`` to ``core``; returns the thread ids pinned.

    ``sched_setaffinity`` acts on one thread, and a runtime (Tokio, libzmq's I/O thread)
    has started its threads by the time the process listens; threads it starts later
    inherit the mask of the thread that starts them.
    """
    pinned = []
    for task in sorted(os.listdir(f"/proc/{pid}/task"), key=int):
        with contextlib.suppress(ProcessLookupError, FileNotFoundError):
            os.sched_setaffinity(int(task), {core})
            pinned.append(int(task))
    return pinned


def thread_cores(pid: int) -> dict[int, set[int]]:
    """The cores each thread of ``pid`` may run on (what ``pin_process`` set)."""
    out = {}
    for task in os.listdir(f"/proc/{pid}/task"):
        with contextlib.suppress(ProcessLookupError, FileNotFoundError):
            out[int(task)] = os.sched_getaffinity(int(task))
    return out
