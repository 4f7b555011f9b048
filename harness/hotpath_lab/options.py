"""The options of one measurement, declared once.

``hotpath bench`` builds a ``RunOptions`` from its command line, hands it unchanged to every
child process it starts (the measuring workers and the profile targets, each as a ``Job``)
and stores it as ``run.json``'s ``options``, which the run model types with this same class.
So an option is added in one place, and a run folder always says exactly what ran.

This module imports nothing of the lab but the pacing rule: the run model imports it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from hotpath_lab.pacing import Pace


class OptionsError(ValueError):
    """An option out of its range; the message names the command-line option."""


@dataclass(frozen=True, kw_only=True)
class ProfileSettings:
    """The profile pass (``--profile``; docs/profiling.md)."""

    seconds: float = 5.0
    """Minimum sampling time per build (the target replays until it has passed)."""
    rate_hz: int = 250
    extension: Literal["profiling", "installed"] = "profiling"
    """``profiling``: build and use the full-debug-info copy of the Rust extensions;
    ``installed``: profile the extensions installed in the venv as they are."""
    control: bool = True
    """Run the target once more without the profiler, to measure what sampling costs."""


@dataclass(frozen=True, kw_only=True)
class RunOptions:
    """Everything that decides what a run measures."""

    builds: tuple[str, ...]
    """The ``--builds`` entries, in order."""
    pace: str = "recorded"
    speed: float = 1.0
    warmup: int = 50_000
    """Events run on a separate, discarded engine before the timed pass."""
    throughput: bool = True
    """The closed-loop throughput pass (open-loop paces only)."""
    overhead: bool = True
    """The empty-pipeline pass that measures the driver itself."""
    overhead_events: int = 200_000
    overhead_rate: float = 100_000.0
    interval_ns: int = 1_000_000_000
    """Length of one interval of the ``.hlog`` interval log."""
    tail_share: float = 0.001
    """The slowest share of orders the GC tail overlap looks at."""
    jitter_seconds: float = 1.0
    """The noise-floor probe in each worker before its passes; 0 skips it."""
    scale: float = 1.0
    """Scale of a generated scenario (``--scale``); 1 for a scenario file."""
    seed: int | None = None
    """Seed of a generated scenario (``--seed``); ``None``: the manifest's."""
    profile: ProfileSettings | None = None
    """``None``: no profile pass."""

    def check(self) -> None:
        """Raises ``OptionsError`` (or ``PaceError``) for a value no run can use."""
        Pace.parse(self.pace, self.speed)
        if not self.builds:
            raise OptionsError("--builds: name at least one build")
        if self.warmup < 0:
            raise OptionsError(f"--warmup must be >= 0 events, got {self.warmup}")
        if not 0 <= self.jitter_seconds <= 60:
            raise OptionsError(f"--jitter-seconds must be in [0, 60], got {self.jitter_seconds}")
        if not (self.overhead_events > 0 and 0 < self.overhead_rate < math.inf):
            raise OptionsError("the overhead pass needs a positive event count and rate")
        if self.interval_ns <= 0:
            raise OptionsError(
                f"the interval log needs a positive interval, got {self.interval_ns}"
            )
        if not 0 < self.tail_share < 1:
            raise OptionsError(f"the tail share must be in (0, 1), got {self.tail_share}")
        p = self.profile
        if p is not None and not (p.seconds > 0 and p.rate_hz > 0):
            raise OptionsError("--profile-seconds and --profile-rate must be positive")


@dataclass(frozen=True, kw_only=True)
class Job:
    """What one child process of ``hotpath bench`` is asked to do.

    ``measure``: warm-up, timed, throughput and overhead passes (``hotpath_lab.worker``);
    ``memory``: only the engine-memory replay, in a process of its own so no earlier pass's
    freed heap hides it; ``profile``: replays under py-spy (``hotpath_lab.profiling.target``).
    """

    kind: Literal["measure", "memory", "profile"]
    build: str
    """The ``--builds`` entry to load."""
    scenario_path: str
    out: str
    """Where results go: the staging folder (``measure``, ``memory``) or a file (``profile``)."""
    options: RunOptions

    def save(self, path: Path) -> None:
        from hotpath_lab.storage.codec import encode

        path.write_text(json.dumps(encode(self)))

    @classmethod
    def load(cls, path: str | Path) -> Job:
        from hotpath_lab.storage.codec import decode

        return decode(cls, json.loads(Path(path).read_text()), f"job file {path}")
