"""Where the wire run's two Rust programs are: ``hotpath-gateway`` and ``hotpath-loadgen``.

Both are built in release mode by ``make setup`` into Cargo's target folder
(``target/release/`` of the repository, or ``$CARGO_TARGET_DIR/release/``). A missing one is
a usage problem (exit 2) whose message names the path and the command that builds it.
"""

from __future__ import annotations

import os
from pathlib import Path

from hotpath_lab.drivers.plugin import BuildSpecError
from hotpath_lab.environment import REPO

GATEWAY = "hotpath-gateway"
LOADGEN = "hotpath-loadgen"


class BinaryMissing(BuildSpecError):
    """A wire program is not built (CLI exit code 2)."""


def release_dir() -> Path:
    target = os.environ.get("CARGO_TARGET_DIR")
    return (Path(target) if target else REPO / "target") / "release"


def binary(name: str) -> Path:
    """The release build of ``name``; raises ``BinaryMissing`` naming the path."""
    path = release_dir() / name
    if not (path.is_file() and os.access(path, os.X_OK)):
        raise BinaryMissing(
            f"{path} is missing: build it with `make setup` (cargo build --release -p {name})"
        )
    return path
