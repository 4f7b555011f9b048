"""Progress from a worker to the orchestrator through shared memory.

A measured process must not make syscalls for the orchestrator's benefit: writing a line
to a pipe wakes the reader, and on a two-core machine the writer can be preempted for a
millisecond — which the latency histograms would then charge to the build. The worker
instead stores ``(phase, done, total)`` into a small memory-mapped file with plain memory
writes, and the orchestrator polls it.
"""

from __future__ import annotations

import mmap
import os
import struct
from pathlib import Path

PHASES = ("", "warmup", "timed", "throughput", "overhead", "memory", "profile")
_LAYOUT = struct.Struct("<QQQQ")  # sequence, phase, done, total


class ProgressChannel:
    """One slot of ``(phase, done, total)``; the sequence number makes torn reads visible."""

    def __init__(self, path: str | os.PathLike[str], *, create: bool = False) -> None:
        self.path = Path(path)
        if create:
            self.path.write_bytes(bytes(_LAYOUT.size))
        self._file = open(self.path, "r+b")  # noqa: SIM115 - closed in close()
        self._map = mmap.mmap(self._file.fileno(), _LAYOUT.size)
        self._seq = 0

    def write(self, phase: str, done: int, total: int) -> None:
        self._seq += 1
        _LAYOUT.pack_into(self._map, 0, self._seq, PHASES.index(phase), done, total)

    def read(self) -> tuple[str, int, int]:
        for _ in range(3):
            seq, phase, done, total = _LAYOUT.unpack_from(self._map, 0)
            seq2 = _LAYOUT.unpack_from(self._map, 0)[0]
            if seq == seq2:
                return PHASES[phase] if phase < len(PHASES) else "", done, total
        return PHASES[phase] if phase < len(PHASES) else "", done, total

    def close(self) -> None:
        self._map.close()
        self._file.close()

    def __enter__(self) -> ProgressChannel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
