"""The Rust build of the hotpath order pipeline (rust-ffi), as a Python extension.

The compiled module ``hotpath_rs._native`` is private; this package re-exports it with thin
numpy-facing wrappers (records go in as a uint8 view of an ``EVENT_DTYPE`` array and are
read in place; reports come back as ``REPORT_DTYPE`` arrays). It is the build and nothing
else: the lab's native tools (measuring loop, recorder, generator) are ``hotpath_toolkit``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from hotpath_format import EVENT_DTYPE, REPORT_DTYPE
from hotpath_rs import _native
from hotpath_rs._native import (
    BUILD_PROFILE,
    BoardReader,
    DetachedEngine,
    FormatError,
    MetadataError,
    RiskDesk,
    __version__,
)

__all__ = [
    "BUILD_PROFILE",
    "BoardReader",
    "BookBoard",
    "DetachedEngine",
    "Engine",
    "FormatError",
    "MetadataError",
    "RiskDesk",
    "ThreadRun",
    "__version__",
    "contract",
    "publish_drop_copy",
    "replay",
    "replay_threads",
]


def _event_bytes(records: np.ndarray) -> np.ndarray:
    if records.dtype != EVENT_DTYPE:
        raise TypeError(f"expected EVENT_DTYPE records, got dtype {records.dtype}")
    return np.ascontiguousarray(records).view(np.uint8)


def _reports(raw: np.ndarray) -> np.ndarray:
    return raw.view(REPORT_DTYPE)


DropCopyFigures = dict[str, int | float | str | None]
"""The drop-copy publisher's figures (docs/dropcopy.md): counts, ``outage_s`` and ``error``."""


class Engine:
    """The Rust engine, fed one event per call (``on_event``) or a batch (``replay``)."""

    __slots__ = ("_engine", "on_event", "reject")

    def __init__(self, meta_json: str, stage_events: int = 0, expected_orders: int = 0) -> None:
        self._engine = _native.Engine(meta_json, stage_events, expected_orders)
        # bound directly: no Python frame between the caller and Rust
        self.on_event = self._engine.on_event
        self.reject = self._engine.reject
        """``reject(index, *fields, reason)``: a request validated (and refused) elsewhere."""

    def replay(self, records: np.ndarray, first_index: int = 0) -> None:
        """Handles ``records`` in place with the GIL released."""
        self._engine.replay(_event_bytes(records), first_index)

    def report_array(self) -> np.ndarray:
        return _reports(self._engine.report_bytes())

    def report_count(self) -> int:
        return int(self._engine.report_count())

    def digest(self) -> str:
        return str(self._engine.digest())

    def stage_times(self) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        stamps: tuple[np.ndarray, np.ndarray, np.ndarray] | None = self._engine.stage_times()
        return stamps

    def start_drop_copy(self, url: str, prefix: str, snapshot_every: int = 10_000) -> None:
        """Every report from now on also goes to the Rust drop-copy publisher, which writes
        ``prefix:reports`` and ``prefix:positions`` at ``url`` from its own thread."""
        self._engine.start_drop_copy(url, prefix, snapshot_every)

    def finish_drop_copy(self) -> DropCopyFigures:
        """Detaches the drop-copy once Redis has everything (at most 10 s): its figures."""
        return dict(self._engine.finish_drop_copy())


def replay(meta_json: str, records: np.ndarray) -> np.ndarray:
    """The whole stream through a fresh engine as fast as possible (GIL released)."""
    return _reports(_native.replay(meta_json, _event_bytes(records)))


class ThreadRun(NamedTuple):
    """What one Rust thread of ``replay_threads`` did (CLOCK_MONOTONIC ns)."""

    started_ns: int
    finished_ns: int
    digests: list[str]
    """Report digest of each of the worker's shards, in the order given."""
    order_start: np.ndarray
    """uint64 stamps just before each order request's handling, in the order handled."""
    order_end: np.ndarray
    """uint64 stamps just after it."""


def replay_threads(meta_json: str, workers: Sequence[Sequence[np.ndarray]]) -> list[ThreadRun]:
    """One Rust thread per worker, all started together with the GIL released; worker ``k``
    replays each of ``workers[k]`` (``EVENT_DTYPE`` arrays) through a fresh engine."""
    views = [[_event_bytes(shard) for shard in shards] for shards in workers]
    return [ThreadRun(*run) for run in _native.replay_threads(meta_json, views)]


def publish_drop_copy(
    url: str, prefix: str, reports: np.ndarray | bytes, snapshot_every: int = 10_000
) -> DropCopyFigures:
    """Publishes a finished report stream (``REPORT_DTYPE`` records or their bytes, seqs
    1 … n) as one pass through the Rust drop-copy publisher: its figures."""
    if isinstance(reports, bytes):
        raw = np.frombuffer(reports, np.uint8)
    elif reports.dtype == REPORT_DTYPE:
        raw = np.ascontiguousarray(reports).view(np.uint8)
    else:
        raise TypeError(f"expected REPORT_DTYPE records or bytes, got dtype {reports.dtype}")
    return dict(_native.publish_drop_copy(url, prefix, raw, snapshot_every))


def contract() -> dict[str, Any]:
    """The record contract as ``hotpath_core::format`` declares it: record sizes and
    fields, code tables and constants (see ``_native.pyi``)."""
    out: dict[str, Any] = _native.contract()
    return out


class BookBoard:
    """The engine's top of book per instrument for Python readers (docs/readers.md): one
    thread replays through ``publish_replay`` (GIL released) while others poll, each through
    its own ``reader()``."""

    __slots__ = ("_board",)

    def __init__(self, meta_json: str, kind: str = "epoch") -> None:
        self._board = _native.BookBoard(meta_json, kind)

    @property
    def kind(self) -> str:
        return str(self._board.kind)

    @property
    def instruments(self) -> int:
        return int(self._board.instruments)

    def publish_replay(self, records: np.ndarray) -> tuple[str, int]:
        """A fresh engine over ``records``: ``(report digest, publications)``."""
        digest, published = self._board.publish_replay(_event_bytes(records))
        return str(digest), int(published)

    def reader(self) -> BoardReader:
        """A reader for the calling thread only: ``reader.top(instrument)``."""
        return self._board.reader()

    def memory(self) -> dict[str, int]:
        return dict(self._board.memory())
