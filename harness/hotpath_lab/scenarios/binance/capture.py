"""Finding capture files and reading them line by line (gzip, streamed, never loaded whole).

Layout: ``<captures>/<venue dir>/<symbol>_<anything>.gz`` with venue dirs ``spot``, ``usdm``
and ``cm``; each line is ``<receive time, ns since epoch> <JSON>``. Every problem is a
``CaptureError`` naming the file and, where there is one, the line.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hotpath_lab.scenarios.binance.markets import MARKETS, VENUES, MarketSpec

_U64_MAX = (1 << 64) - 1
PROGRESS_EVERY = 1 << 14


class CaptureError(ValueError):
    """A capture directory, file or line that cannot be imported."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        self.file = file
        self.line = line
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True, slots=True)
class CaptureFile:
    path: Path
    name: str
    """Path relative to the captures directory, with ``/`` separators (used in messages)."""
    market: MarketSpec


@dataclass(frozen=True, slots=True)
class CaptureSet:
    """The capture files grouped by market, in venue then instrument then file-name order."""

    markets: tuple[tuple[MarketSpec, tuple[CaptureFile, ...]], ...]
    ignored: tuple[str, ...]
    """Entries that are not capture files (README, licence, other directories)."""


def discover(src: Path) -> CaptureSet:
    """The capture files under ``src``; raises ``CaptureError`` for unknown symbols."""
    if not src.is_dir():
        raise CaptureError(str(src), None, "is not a directory of captures")
    venue_dirs = {v.directory for v in VENUES}
    ignored = sorted(p.name for p in src.iterdir() if p.name not in venue_dirs or not p.is_dir())
    groups: dict[tuple[int, int], list[CaptureFile]] = {}
    for venue in VENUES:
        vdir = src / venue.directory
        if not vdir.is_dir():
            continue
        for path in sorted(vdir.iterdir()):
            name = f"{venue.directory}/{path.name}"
            if not (path.is_file() and path.name.endswith(".gz")):
                ignored.append(name)
                continue
            symbol = path.name.removesuffix(".gz").rpartition("_")[0].lower()
            market = MARKETS.get((venue.directory, symbol))
            if market is None:
                known = sorted(s for d, s in MARKETS if d == venue.directory)
                raise CaptureError(
                    str(path), None,
                    f"unknown symbol {symbol!r} for venue directory {venue.directory!r} "
                    f"(file names are <symbol>_<date>.gz; known symbols: {', '.join(known)})",
                )  # fmt: skip
            groups.setdefault((venue.id, market.asset.id), []).append(
                CaptureFile(path, name, market)
            )
    if not groups:
        raise CaptureError(
            str(src), None, "no capture files (<symbol>_<date>.gz under spot/, usdm/ or cm/)"
        )
    markets = tuple((files[0].market, tuple(files)) for _, files in sorted(groups.items()))
    return CaptureSet(markets, tuple(ignored))


def file_sha256(capture: CaptureFile) -> str:
    """SHA-256 of the compressed file, recorded in the scenario's ``source``."""
    h = hashlib.sha256()
    try:
        with open(capture.path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    except OSError as exc:
        raise CaptureError(capture.name, None, f"cannot read: {exc}") from exc
    return h.hexdigest()


def read_lines(
    capture: CaptureFile, on_progress: Callable[[int], None] | None = None
) -> Iterator[tuple[int, int, Any]]:
    """Yields ``(line number, receive time ns, parsed JSON)`` for each line, streaming.

    ``on_progress`` gets the compressed bytes consumed so far, every ``PROGRESS_EVERY``
    lines and once at the end.
    """
    name = capture.name
    lineno = 0
    try:
        with open(capture.path, "rb") as raw_file, gzip.GzipFile(fileobj=raw_file) as f:
            if os.fstat(raw_file.fileno()).st_size == 0:
                # gzip reads 0 bytes as an empty stream; a gzip file has at least a header
                raise CaptureError(name, None, "is empty (0 bytes), not a gzip file")
            for lineno, raw in enumerate(f, 1):  # lineno is used after the loop
                yield lineno, *_parse_line(raw, name, lineno)
                if on_progress is not None and lineno % PROGRESS_EVERY == 0:
                    on_progress(raw_file.tell())
            if on_progress is not None:
                on_progress(raw_file.tell())
    except (OSError, EOFError, zlib.error) as exc:
        raise CaptureError(
            name, lineno + 1, f"cannot read gzip data (corrupt or truncated file?): {exc}"
        ) from exc


def _parse_line(raw: bytes, name: str, lineno: int) -> tuple[int, Any]:
    sep = raw.find(b" ")
    if sep <= 0:
        what = "empty line" if not raw.strip() else "no '<receive time> <JSON>' separator"
        raise CaptureError(name, lineno, f"malformed line: {what}")
    stamp = raw[:sep]
    if not stamp.isdigit() or int(stamp) > _U64_MAX:
        shown = stamp[:40].decode("ascii", "replace")
        raise CaptureError(name, lineno, f"receive time {shown!r} is not a u64 nanosecond count")
    try:
        obj = json.loads(raw[sep + 1 :])
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CaptureError(name, lineno, f"invalid JSON: {exc}") from None
    return int(stamp), obj
