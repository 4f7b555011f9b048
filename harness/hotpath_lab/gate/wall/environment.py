"""The two environments the wall-clock tier runs: the candidate (this tree) and a baseline.

A baseline is a commit checked out with ``git worktree add --detach`` into a cache folder
outside the repository (``$HOTPATH_CACHE/gate/<sha>``, default ``~/.cache/hotpath``) and set
up there with its own ``make setup``: its own ``.venv``, its own release builds of both Rust
extensions. So each side's builds come from its own sources, and a baseline already built
for the same sha is reused (a ``.gate-ready`` stamp is written only after ``make setup``
succeeded; anything else in the folder is removed and rebuilt).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from hotpath_lab.atomic import exclusive_lock
from hotpath_lab.environment import REPO, cache_root

READY_STAMP = ".gate-ready"
"""Written into a baseline folder once its ``make setup`` succeeded."""
DEFAULT_BRANCHES = ("main", "origin/main")
"""The default baseline is the merge-base of HEAD and the first of these that exists."""
ENV_STRIPPED = ("VIRTUAL_ENV", "PYO3_PYTHON", "CARGO_TARGET_DIR", "HOTPATH_CANARY", "PYTHONPATH")
"""Variables a side must not inherit from the process that started the gate: each side's
Makefile and venv set their own, and the canary is set per side (``process_env``)."""


class GateEnvironmentError(RuntimeError):
    """A baseline that cannot be resolved or set up; the message says which and why."""


@dataclass(frozen=True)
class SideEnvironment:
    """One side of the comparison: a source tree with a set-up ``.venv``."""

    root: Path
    sha: str
    dirty: bool
    setup_s: float | None = None
    """Seconds its ``make setup`` took in this gate run; ``None`` when it was reused."""
    shared_with_candidate: bool = False
    """True when the baseline is the candidate's own tree (same commit, clean, or asked)."""

    @property
    def hotpath(self) -> Path:
        return self.root / ".venv" / "bin" / "hotpath"

    @property
    def label(self) -> str:
        return self.sha[:10] + ("+dirty" if self.dirty else "")


def git(repo: Path, *args: str) -> str:
    """``git -C repo args…``'s stdout, stripped; a failure names the command."""
    proc = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise GateEnvironmentError(f"git {' '.join(args)}: {proc.stderr.strip()}")
    return proc.stdout.strip()


def candidate_environment(root: Path = REPO) -> SideEnvironment:
    """The working tree the gate runs from (uncommitted changes included)."""
    env = SideEnvironment(root, git(root, "rev-parse", "HEAD"), _is_dirty(root))
    if not env.hotpath.is_file():
        raise GateEnvironmentError(f"{env.hotpath} missing: run `make setup` in {root} first")
    return env


def _is_dirty(root: Path) -> bool:
    return bool(git(root, "status", "--porcelain"))


def default_baseline_ref(root: Path = REPO) -> str:
    """The merge-base of HEAD and ``main`` (or ``origin/main``); HEAD when neither exists."""
    for branch in DEFAULT_BRANCHES:
        probe = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--verify", "--quiet", f"{branch}^{{commit}}"],
            capture_output=True,
            check=False,
        )
        if probe.returncode == 0:
            return git(root, "merge-base", "HEAD", branch)
    return "HEAD"


def gate_cache() -> Path:
    return cache_root() / "gate"


def baseline_environment(
    ref: str | None,
    candidate: SideEnvironment,
    *,
    cache: Path | None = None,
    log: Callable[[str], None] = lambda _: None,
) -> SideEnvironment:
    """The baseline for ``ref`` (``None``: ``default_baseline_ref``), set up in the cache, or
    the candidate's own tree when ``ref`` is its clean HEAD."""
    ref = ref or default_baseline_ref(candidate.root)
    sha = git(candidate.root, "rev-parse", "--verify", f"{ref}^{{commit}}")
    if sha == candidate.sha and not candidate.dirty:
        log(
            f"baseline {ref} is the candidate's clean HEAD {sha[:10]}: one environment, two streams"
        )
        return SideEnvironment(candidate.root, sha, False, shared_with_candidate=True)
    folder = (cache or gate_cache()) / sha
    folder.parent.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(folder.parent / f"{sha}.lock"):  # one build of a baseline at a time
        if (folder / READY_STAMP).is_file() and (folder / ".venv" / "bin" / "hotpath").is_file():
            log(f"baseline {ref} = {sha[:10]}: reusing {folder}")
            return SideEnvironment(folder, sha, False)
        log(f"baseline {ref} = {sha[:10]}: checking out and running make setup in {folder}")
        started = time.monotonic()
        _checkout(candidate.root, folder, sha)
        _make_setup(folder, candidate.root)
        (folder / READY_STAMP).write_text(f"{sha}\n")
        return SideEnvironment(folder, sha, False, setup_s=time.monotonic() - started)


def this_tree_as_baseline(candidate: SideEnvironment) -> SideEnvironment:
    """The candidate's own tree as its baseline (tests, and measuring false positives)."""
    return SideEnvironment(
        candidate.root, candidate.sha, candidate.dirty, shared_with_candidate=True
    )


def _checkout(repo: Path, folder: Path, sha: str) -> None:
    """A fresh detached worktree of ``sha`` at ``folder`` (a half-built one is removed)."""
    if folder.exists():
        subprocess.run(
            ["git", "-C", str(repo), "worktree", "remove", "--force", str(folder)],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(folder, ignore_errors=True)
    git(repo, "worktree", "prune")
    git(repo, "worktree", "add", "--detach", str(folder), sha)


def _make_setup(folder: Path, candidate_root: Path) -> None:
    log_path = folder / "gate-setup.log"
    with log_path.open("w") as out:
        proc = subprocess.run(
            ["make", "setup"],
            cwd=folder,
            env=clean_env(candidate_root),
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
    if proc.returncode != 0:
        tail = "\n".join(log_path.read_text().splitlines()[-15:])
        raise GateEnvironmentError(
            f"make setup of the baseline in {folder} failed (exit {proc.returncode}); "
            f"last lines of {log_path}:\n{tail}"
        )


def clean_env(candidate_root: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment without what would tie a child to the candidate's venv
    (``ENV_STRIPPED`` and the venv's ``bin`` on ``PATH``), plus ``extra``."""
    venv_bin = str(candidate_root / ".venv" / "bin")
    env = {k: v for k, v in os.environ.items() if k not in ENV_STRIPPED}
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if p and p.rstrip("/") != venv_bin
    )
    env.update(extra or {})
    return env
