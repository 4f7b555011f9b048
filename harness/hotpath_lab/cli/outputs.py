"""Where a command will write, checked before it does any work.

A run that measures for minutes and then cannot write its folder has wasted those minutes;
a path that can never be written (a file where a folder is wanted, a folder where a file
is, a read-only or virtual filesystem such as ``/proc``) is refused up front with one line
and exit code 2 (``OutputError``). The check creates nothing that stays: it makes and
removes one temporary folder in the nearest existing parent.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class OutputError(Exception):
    """An output location that cannot be written: exit code 2, the message names the option
    and the path."""


def check_output_dir(path: str | os.PathLike[str], option: str) -> None:
    """Raises ``OutputError`` unless ``path`` is, or can become, a writable folder."""
    target = Path(path)
    if target.exists() and not target.is_dir():
        raise OutputError(f"{option} {target}: exists and is not a folder")
    _probe(target, option, target)


def check_output_file(path: str | os.PathLike[str], option: str) -> None:
    """Raises ``OutputError`` unless ``path`` can be written as a file (atomically, so its
    folder must take a new file)."""
    target = Path(path)
    if target.is_dir():
        raise OutputError(f"{option} {target}: is a folder, not a file")
    _probe(target.parent, option, target)


def _probe(folder: Path, option: str, named: Path) -> None:
    """Makes and removes a folder in the nearest existing ancestor of ``folder``."""
    existing = folder
    while not existing.exists():
        if existing.parent == existing:
            break
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(f"{option} {named}: {existing} is not a folder")
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".hotpath-probe-", dir=existing))
    except OSError as exc:
        raise OutputError(f"{option} {named}: cannot write in {existing}: {exc.strerror}") from None
