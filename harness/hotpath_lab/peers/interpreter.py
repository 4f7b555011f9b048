"""Which Python runs a peer's worker: this one if it can import the peer's package, else the
peers venv's (``.venv-peers``, or ``$HOTPATH_PEERS_PYTHON``) if that one can. Otherwise the
peer is unavailable, with one line that says why and what installs it."""

from __future__ import annotations

import functools
import importlib.util
import os
import subprocess
from pathlib import Path

from hotpath_lab.drivers.plugin import BuildSpecError
from hotpath_lab.environment import REPO

PEERS_PYTHON_ENV = "HOTPATH_PEERS_PYTHON"
PEERS_VENV = REPO / ".venv-peers"


class PeerUnavailable(BuildSpecError):
    """A peer build whose package cannot be imported here or in the peers venv (exit 2)."""


def peers_python() -> Path:
    """The peers venv's interpreter (it need not exist)."""
    given = os.environ.get(PEERS_PYTHON_ENV)
    return Path(given) if given else PEERS_VENV / "bin" / "python"


def peer_interpreter(build: str, package: str) -> str | None:
    """``None`` when ``package`` imports in this process; else the path of the peers
    interpreter that imports it. Raises ``PeerUnavailable`` naming both places."""
    if importlib.util.find_spec(package) is not None:
        return None
    python = peers_python()
    problem = _import_problem(str(python), package)
    if problem is None:
        return str(python)
    raise PeerUnavailable(
        f"build {build!r} is unavailable: {package} is not installed in this Python and "
        f"{problem} (`make peers` installs it into {PEERS_VENV.name})"
    )


@functools.cache
def _import_problem(python: str, package: str) -> str | None:
    """Why ``python`` cannot import ``package``, or ``None`` if it can (asked once per
    process: the orchestrator loads its builds more than once)."""
    if not (Path(python).is_file() and os.access(python, os.X_OK)):
        return f"there is no peers interpreter at {python}"
    try:
        probe = subprocess.run(
            [python, "-c", f"import {package}, hotpath_lab.worker"],
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{python} could not be run: {exc}"
    if probe.returncode != 0:
        lines = probe.stderr.strip().splitlines()
        return f"{python} cannot import it: {lines[-1] if lines else 'no error output'}"
    return None
