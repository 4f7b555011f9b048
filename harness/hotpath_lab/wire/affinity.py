"""Which core each side of a wire run gets, and pinning a running process to one.

On a two-core machine the gateway gets one core and the generator the other, so neither
steals the other's time slices (the generator spins, and so does wire-rust with
``--poll spin``). The harness itself only sleeps while they run.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
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


@contextlib.contextmanager
def children_on(core: int | None) -> Iterator[None]:
    """Processes started in the block start on ``core`` (``None``: no change), with every
    thread they will ever have.

    The affinity mask is per thread and a child inherits the mask of the thread that forks
    it, so the calling thread takes ``core`` for the block and gets its own mask back
    after; the harness's other threads (the CPU sampler) are not moved.
    """
    if core is None:
        yield
        return
    own = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {core})
    try:
        yield
    finally:
        os.sched_setaffinity(0, own)


def thread_cores(pid: int) -> dict[int, set[int]]:
    """The cores each thread of ``pid`` may run on."""
    out = {}
    for task in os.listdir(f"/proc/{pid}/task"):
        with contextlib.suppress(ProcessLookupError, FileNotFoundError):
            out[int(task)] = os.sched_getaffinity(int(task))
    return out
