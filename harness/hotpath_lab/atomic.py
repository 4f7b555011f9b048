"""Atomic run folders: a folder appears whole at its final name, or not at all.

Single files are written with ``hotpath_format.atomic`` (re-exported here for the harness).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from hotpath_format.atomic import atomic_output, atomic_write_bytes, current_umask, fsync_dir

__all__ = ["atomic_directory", "atomic_output", "atomic_write_bytes", "exclusive_lock"]


@contextlib.contextmanager
def atomic_directory(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yields a staging directory that becomes ``path`` only if the block completes.

    ``path`` must not exist yet; an interrupted or failed block leaves nothing behind.
    """
    target = Path(path)
    if target.exists():
        raise FileExistsError(f"{target} already exists")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(
        tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    )
    os.chmod(staging, 0o777 & ~current_umask())
    try:
        yield staging
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    fsync_dir(target.parent)


@contextlib.contextmanager
def exclusive_lock(path: str | os.PathLike[str]) -> Iterator[None]:
    """Holds an exclusive ``flock`` on ``path`` (created if missing) for the block: two
    processes that share a folder (a gate's probe folder, a baseline being built) take
    turns instead of writing into it together. The kernel releases it if the holder dies."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_CREAT | os.O_RDWR, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the last descriptor releases the lock
