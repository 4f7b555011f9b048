"""One side's process: a ``hotpath bench`` run with that side's own CLI and venv.

The bench command line is the contract between two versions of the lab (a baseline may be
older than the candidate's worker protocol), so each side runs
``<env>/.venv/bin/hotpath bench`` with the same scenario file, builds and options, into a
folder of its own; the tier reads back only ``run.json``'s noise floor, file names and
digests and the ``.hlog`` interval logs.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from hotpath_lab.gate.wall.environment import SideEnvironment, clean_env

BENCH_OK = (0, 1)
"""``hotpath bench`` exit codes that still leave a complete run folder (1: the builds'
report digests disagree — a correctness failure for ``hotpath shadow``, noted here)."""


class WallRunError(RuntimeError):
    """A side's bench process failed; the message has its command and last output."""


@dataclass(frozen=True)
class BenchSettings:
    """What every process of both sides runs: same scenario file, builds and options."""

    scenario: Path
    """A scenario file (``.hpe``): both sides replay the same bytes."""
    builds: tuple[str, ...]
    pace: str = "recorded"
    speed: float = 1.0
    jitter_seconds: float = 1.0
    """The noise-floor probe in every worker: the verdict needs it."""
    profile_seconds: float | None = None
    """``None``: no profile pass; else ``--profile`` for this long (attachments only)."""

    def argv(self, results_dir: Path) -> list[str]:
        profile = [] if self.profile_seconds is None else [
            "--profile", "--profile-seconds", repr(self.profile_seconds)]  # fmt: skip
        return [
            "bench",
            "--scenario", str(self.scenario),
            "--builds", ",".join(self.builds),
            "--pace", self.pace,
            "--speed", repr(self.speed),
            "--jitter-seconds", repr(self.jitter_seconds),
            "--no-throughput",
            "--no-overhead",
            "--results-dir", str(results_dir),
            *profile,
        ]  # fmt: skip


@dataclass(frozen=True)
class SideRun:
    """One finished process of one side."""

    side: str
    index: int
    """Position in the running order (0 = first)."""
    folder: Path
    """The run folder (with ``run.json`` and ``<build>.hlog``)."""


def run_side(
    side: str,
    index: int,
    env: SideEnvironment,
    settings: BenchSettings,
    out_dir: Path,
    *,
    canary: str | None,
    candidate_root: Path,
) -> SideRun:
    """Runs one bench process of ``side`` from ``env`` into ``out_dir/<index>-<side>``.

    ``canary``: the value of ``HOTPATH_CANARY`` for this process (``None``: unset; the
    variable is never inherited from the gate's own environment).
    """
    results = out_dir / f"{index:02d}-{side}"
    results.mkdir(parents=True, exist_ok=False)
    log_path = results / "bench.log"
    argv = [str(env.hotpath), *settings.argv(results)]
    extra = {"HOTPATH_CANARY": canary} if canary else {}
    with log_path.open("w") as log:
        proc = subprocess.run(
            argv,
            cwd=env.root,
            env=clean_env(candidate_root, extra),
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
        )
    folders = sorted(p.parent for p in results.glob("*/*/run.json"))
    if proc.returncode not in BENCH_OK or len(folders) != 1:
        tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-12:])
        raise WallRunError(
            f"side {side} run {index} ({' '.join(argv)}) exited {proc.returncode} "
            f"with {len(folders)} run folder(s); last lines of {log_path}:\n{tail}"
        )
    return SideRun(side, index, folders[0])
