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


DROP_COPY_LAB = "lab"
"""``--drop-copy lab``: the run starts its own Redis server (docs/dropcopy.md)."""


DROP_COPY_ROW = "@drop-copy"
"""A build's row with the drop-copy on is its name with this suffix."""


def drop_copy_row(build: str) -> str:
    """The name of ``build``'s drop-copy-on row in a run."""
    return build + DROP_COPY_ROW


@dataclass(frozen=True, kw_only=True)
class DropCopyJob:
    """Where one worker's timed pass publishes its drop-copy."""

    url: str
    """The server's URL (the lab's own server resolved to its port)."""
    prefix: str
    """The streams' key prefix: ``hotpath:<run id>:<row>``."""
    run_id: str
    scenario: str


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
    drop_copy: str | None = None
    """``--drop-copy``: a Redis URL (``redis://host:port[/db]``), or ``lab`` for a server the
    run starts and stops itself; every build then runs twice, drop-copy off and on, in one
    run (docs/dropcopy.md). ``None``: no drop-copy."""
    drop_copy_restart: float | None = None
    """``--drop-copy-restart F``: restart the lab's Redis server once each drop-copy row's
    timed pass is this far done (0 < F < 1), to show the gap policy at work."""
    snapshot_every: int = 10_000
    """A position snapshot after every this many reports (docs/dropcopy.md)."""

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
        if self.drop_copy is not None and not (
            self.drop_copy == DROP_COPY_LAB or self.drop_copy.startswith("redis://")
        ):
            raise OptionsError(
                f"--drop-copy takes redis://host:port[/db] or {DROP_COPY_LAB!r}, "
                f"got {self.drop_copy!r}"
            )
        if self.drop_copy_restart is not None and not (
            self.drop_copy == DROP_COPY_LAB and 0 < self.drop_copy_restart < 1
        ):
            raise OptionsError(
                "--drop-copy-restart needs --drop-copy lab (the run can only restart a server "
                f"it started) and a fraction in (0, 1), got {self.drop_copy_restart}"
            )
        if self.snapshot_every < 1:
            raise OptionsError(f"--snapshot-every must be >= 1, got {self.snapshot_every}")
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
    drop_copy: DropCopyJob | None = None
    """``measure`` only: the row that runs with the drop-copy on (its result is named
    ``<build>@drop-copy``)."""

    def save(self, path: Path) -> None:
        from hotpath_lab.storage.codec import encode

        path.write_text(json.dumps(encode(self)))

    @classmethod
    def load(cls, path: str | Path) -> Job:
        from hotpath_lab.storage.codec import decode

        return decode(cls, json.loads(Path(path).read_text()), f"job file {path}")
