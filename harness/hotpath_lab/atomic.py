"""Atomic run folders: a folder appears whole at its final name, or not at all.

Single files are written with ``hotpath_format.atomic`` (re-exported here for the harness).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

from hotpath_format.atomic import atomic_output, atomic_write_bytes, current_umask, fsync_dir

__all__ = [
    "atomic_directory",
    "atomic_output",
    "atomic_write_bytes",
    "exclusive_lock",
    "first_free_directory",
    "remove_dead_staging",
]


STAGING_SUFFIX = ".partial"
OWNER = ".owner"
"""Inside a staging folder: who assembles it (pid, boot id), written once its lock is held."""
_BOOT_ID = Path("/proc/sys/kernel/random/boot_id")


@contextlib.contextmanager
def atomic_directory(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yields a staging directory that becomes ``path`` only if the block completes.

    ``path`` must not exist yet (nor be staged by another process); see ``first_free_directory``.
    """
    with first_free_directory([Path(path)]) as (_, staging):
        yield staging


@contextlib.contextmanager
def first_free_directory(candidates: Iterable[Path]) -> Iterator[tuple[Path, Path]]:
    """Yields ``(final, staging)``: the first of ``candidates`` that neither exists nor is
    being staged, and its staging folder, which becomes ``final`` if the block completes.

    Claiming a name is one ``mkdir`` of its staging folder (``.<name>.partial``), so two
    processes never get the same one. A failed or interrupted block removes its staging
    folder. One that cannot (the process was killed) is removed by the next directory made
    beside it (``remove_dead_staging``): a staging folder is ``flock``ed for as long as it
    is being assembled, and the kernel drops that lock when its holder dies. If the final
    rename itself fails, the staging folder is kept (it holds finished work) and the error
    names it.
    """
    final, staging = _claim(candidates)
    try:
        lock = os.open(staging, os.O_RDONLY | os.O_DIRECTORY)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)  # blocks only while a sweeper looks at it
            os.chmod(staging, 0o777 & ~current_umask())
            (staging / OWNER).write_text(_owner())
            yield final, staging
            (staging / OWNER).unlink()  # still locked: no sweeper sees it without an owner
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        try:
            os.rename(staging, final)
        except OSError as exc:
            raise OSError(
                exc.errno,
                f"cannot rename the finished {staging} to {final}: {exc.strerror}; "
                "its content is kept there",
            ) from exc
    finally:
        os.close(lock)  # the lock moves with the folder; closing releases it
    fsync_dir(final.parent)


MAX_CLAIMS = 1000


def _claim(candidates: Iterable[Path]) -> tuple[Path, Path]:
    """The first free candidate and its new (empty) staging folder."""
    tried = 0
    last = None
    for final in candidates:
        if tried >= MAX_CLAIMS:
            break
        tried += 1
        last = final
        final.parent.mkdir(parents=True, exist_ok=True)
        if tried == 1:
            remove_dead_staging(final.parent)
        if final.exists():
            continue
        staging = final.parent / f".{final.name}{STAGING_SUFFIX}"
        try:
            os.mkdir(staging)
        except FileExistsError:
            continue
        if final.exists():  # made between the check and the claim (by a rename)
            os.rmdir(staging)
            continue
        return final, staging
    raise FileExistsError(f"{last} already exists" if tried == 1 else f"no free name after {last}")


def remove_dead_staging(folder: Path) -> list[Path]:
    """Removes the staging folders in ``folder`` whose process is dead; returns them.

    Dead means: its lock is free *and* its owner file exists. A live run holds the lock
    from before it writes the owner file until after it removes it, so a free lock with
    an owner file can only be a process that died while assembling. A folder without an
    owner file (from a process killed between creating the folder and locking it, or from
    an older hotpath) cannot be proven dead and is left alone."""
    removed = []
    for staging in sorted(folder.glob(f".*{STAGING_SUFFIX}")):
        try:
            fd = os.open(staging, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            continue  # gone meanwhile, or not a folder
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a live run's
            if (staging / OWNER).is_file():
                shutil.rmtree(staging, ignore_errors=True)
                removed.append(staging)
        finally:
            os.close(fd)
    return removed


def _owner() -> str:
    try:
        boot = _BOOT_ID.read_text().strip()
    except OSError:
        boot = ""
    return json.dumps({"pid": os.getpid(), "boot_id": boot}) + "\n"


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
