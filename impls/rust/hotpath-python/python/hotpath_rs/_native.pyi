"""Type stubs for the compiled extension ``hotpath_rs._native`` (hand-written).

Buffers of event records are passed as a contiguous ``uint8`` view of an ``EVENT_DTYPE``
array; reports come back as ``uint8`` arrays to be viewed as ``REPORT_DTYPE``.
"""

from typing import Any, final

import numpy as np
import numpy.typing as npt

__all__ = [
    "BUILD_PROFILE",
    "BoardReader",
    "BookBoard",
    "DetachedEngine",
    "Engine",
    "FormatError",
    "MetadataError",
    "RiskDesk",
    "__version__",
    "contract",
    "publish_drop_copy",
    "replay",
    "replay_threads",
]

__version__: str
BUILD_PROFILE: str
"""``release`` or ``debug``: the Cargo profile the module was built with."""

class FormatError(ValueError):
    """A record file or buffer breaks docs/formats.md."""

class MetadataError(ValueError):
    """Scenario metadata is not a usable configuration."""

@final
class Engine:
    """The order hot path engine; one instance per session."""

    def __new__(cls, meta_json: str, stage_events: int = 0, expected_orders: int = 0) -> Engine: ...
    def on_event(
        self,
        index: int,
        ts: int,
        id: int,
        orig_id: int,
        price: int,
        qty: int,
        instrument: int,
        account: int,
        kind: int,
        side: int,
        order_type: int,
        venue: int,
    ) -> None: ...
    def reject(
        self,
        index: int,
        ts: int,
        id: int,
        orig_id: int,
        price: int,
        qty: int,
        instrument: int,
        account: int,
        kind: int,
        side: int,
        order_type: int,
        venue: int,
        reason: int,
    ) -> None:
        """Rejects the request for ``reason`` without handling it (a Python-side validation)."""
    def replay(self, records: npt.NDArray[np.uint8], first_index: int = 0) -> None: ...
    def report_bytes(self) -> npt.NDArray[np.uint8]: ...
    def report_count(self) -> int: ...
    def digest(self) -> str: ...
    def stage_times(
        self,
    ) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64], npt.NDArray[np.uint64]] | None: ...
    def start_drop_copy(self, url: str, prefix: str, snapshot_every: int = 10000) -> None:
        """Attaches the Rust drop-copy (docs/dropcopy.md): every report from now on also goes
        to ``prefix:reports`` / ``prefix:positions`` at ``url`` (``redis://host:port[/db]``).
        ``ValueError`` if one is attached, the engine has reports already, or the URL or
        cadence is refused; ``ConnectionError`` if Redis cannot be reached."""
    def finish_drop_copy(self) -> dict[str, int | float | str | None]:
        """Publishes what is left (overflow from the engine's own log), waits for Redis to
        confirm (at most 10 s, GIL released) and returns the publisher figures:
        ``produced``, ``published``, ``published_live``, ``backfilled``, ``entries``,
        ``snapshots``, ``reconnects``, ``refused_duplicates``, ``lost_on_server``,
        ``unpublished``, ``overflowed``, ``max_lag`` (int), ``outage_s`` (float), ``error``
        (str or None). ``ValueError`` if none is attached."""

@final
class RiskDesk:
    """Pre-trade risk on its own (the ``hybrid-risk`` build): the accounts' risk ledger and a
    copy of the books, fed by the service that owns the orders (docs/migration.md)."""

    def __new__(cls, meta_json: str) -> RiskDesk: ...
    def book_delta(self, instrument: int, venue: int, side: int, price: int, qty: int) -> None: ...
    def trade(self, instrument: int, venue: int, side: int, price: int, qty: int) -> None: ...
    def check(
        self,
        account: int,
        instrument: int,
        side_code: int,
        price: int,
        qty: int,
        ts: int,
        new_limit: bool,
        replacing_qty: int,
        replacing_price: int,
    ) -> int:
        """0: may trade; > 0: the reject reason; -1: the loss check tripped the kill switch
        (TRADING_HALTED; the caller owes HALT and the mass cancel)."""
    def loss_check(self, account: int) -> bool: ...
    def taker_fill(
        self, account: int, instrument: int, venue: int, side_code: int, price: int, qty: int
    ) -> None: ...
    def maker_fill(
        self, account: int, instrument: int, side_code: int, price: int, qty: int, closed: bool
    ) -> None: ...
    def open(self, account: int, instrument: int, side_code: int, price: int, qty: int) -> None: ...
    def release(
        self, account: int, instrument: int, side_code: int, price: int, qty: int
    ) -> None: ...
    def holding(self, account: int, instrument: int) -> tuple[int, int, int, int, bool] | None:
        """``(position, open_buy, open_sell, open_orders, halted)``."""
    def reference(self, instrument: int) -> int | None: ...

def replay(meta_json: str, records: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]: ...
def publish_drop_copy(
    url: str, prefix: str, reports: npt.NDArray[np.uint8], snapshot_every: int = 10000
) -> dict[str, int | float | str | None]:
    """Publishes a report stream (a uint8 view of ``REPORT_DTYPE`` records, seqs 1 … n) as one
    drop-copy pass through the Rust publisher, GIL released; returns the publisher figures
    (as ``Engine.finish_drop_copy``). ``FormatError`` for a buffer that is not whole records,
    ``ValueError`` for a bad URL or a stream with a seq gap, ``ConnectionError`` if Redis
    cannot be reached."""

@final
class DetachedEngine:
    """The engine fed from a Python thread, one event or one batch per call, the GIL released
    around the engine's work (the GIL experiment, docs/gil.md)."""

    def __new__(cls, meta_json: str, expected_orders: int = 0) -> DetachedEngine: ...
    def on_event(
        self,
        index: int,
        ts: int,
        id: int,
        orig_id: int,
        price: int,
        qty: int,
        instrument: int,
        account: int,
        kind: int,
        side: int,
        order_type: int,
        venue: int,
    ) -> None: ...
    def replay_batch(self, records: npt.NDArray[np.uint8], first_index: int = 0) -> None:
        """A batch of records with the GIL released once, each order request stamped."""
    def order_stamps(self) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
        """``(start, end)`` ns around each order request ``replay_batch`` handled so far."""
    def report_count(self) -> int: ...
    def digest(self) -> str: ...

def replay_threads(
    meta_json: str, workers: list[list[npt.NDArray[np.uint8]]]
) -> list[tuple[int, int, list[str], npt.NDArray[np.uint64], npt.NDArray[np.uint64]]]:
    """One ``std::thread`` per worker, all started together, the GIL released: each replays
    its shards through fresh engines. Per worker ``(started_ns, finished_ns, digests,
    order_start, order_end)``: CLOCK_MONOTONIC ns, the shards' report digests in the order
    given, and the stamps around every order request's handling."""

def contract() -> dict[str, Any]:
    """The record contract read from ``hotpath_core::format``: ``records`` (``event`` and
    ``report``: ``size`` and ``fields`` as ``(name, offset, size, kind)`` with numpy's kind
    character), ``codes`` (enum name → {NAME: value}), ``constants`` (``VENUE_ANY``,
    ``FORMAT_VERSION``, ``HEADER_SIZE``) and ``magic`` (``events``, ``reports``)."""

_TopOfBook = tuple[tuple[int, int] | None, tuple[int, int] | None, int, int]
"""``(bid, ask, seq, ts)``: each side ``(price, qty)`` or None; ``seq`` the index of the event
after which the book looked like this, ``ts`` that event's timestamp."""

@final
class BookBoard:
    """The engine's top of book per instrument, for readers on other threads
    (docs/readers.md): ``epoch`` (lock-free) or ``mutex``."""

    def __new__(cls, meta_json: str, kind: str = "epoch") -> BookBoard: ...
    @property
    def kind(self) -> str: ...
    @property
    def instruments(self) -> int: ...
    def publish_replay(self, records: npt.NDArray[np.uint8]) -> tuple[str, int]:
        """A fresh engine over ``records`` with the GIL released, publishing each change of an
        instrument's top of book: ``(report digest, publications)``."""
    def reader(self) -> BoardReader:
        """A reader for the calling thread only."""
    def memory(self) -> dict[str, int]: ...

@final
class BoardReader:
    """One thread's reader of a ``BookBoard``."""

    def top(self, instrument: int) -> _TopOfBook | None:
        """The newest top of book of ``instrument``, or None before its first publication;
        ``ValueError`` for an instrument the board does not have."""
