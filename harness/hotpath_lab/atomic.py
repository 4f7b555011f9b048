"""Atomic run folders: a folder appears whole at its final name, or not at all.

Single files are written with ``hotpath_format.atomic`` (re-exported here for the harness).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from hotpath_format.atomic import atomic_output, atomic_write_bytes, current_umask, fsync_dir

__all__ = ["atomic_directory", "atomic_output", "atomic_write_bytes"]


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
