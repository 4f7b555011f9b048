"""What the drop-copy tests share: a real ``redis-server`` (skipped with a clear message only
when there is no binary), report streams with fills, and a report source that grows while a
publisher reads it."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from hotpath_format import REPORT_DTYPE, ReportKind
from hotpath_lab.dropcopy.server import RedisServer, RedisUnavailable


def lab_redis(data_dir: Path) -> Iterator[RedisServer]:
    """A fixture body: a server in ``data_dir`` for the fixture's scope."""
    try:
        server = RedisServer(data_dir)
    except RedisUnavailable as exc:
        pytest.skip(f"the drop-copy tests need a real Redis server: {exc}")
    with server:
        yield server


def new_prefix() -> str:
    """A key prefix no other test uses on a shared server."""
    return f"hotpath:test-{uuid.uuid4().hex[:12]}:python@drop-copy"


def random_reports(n: int, seed: int = 0) -> np.ndarray:
    """``n`` reports (seq 1..n) of every kind, a third of them fills of 4 accounts × 3
    instruments, with large and negative quantities among them."""
    rng = np.random.default_rng(seed)
    r = np.zeros(n, REPORT_DTYPE)
    r["seq"] = np.arange(1, n + 1, dtype=np.uint64)
    r["event_index"] = np.arange(n, dtype=np.uint64) // 2
    r["order_id"] = rng.integers(1, 2**40, n, dtype=np.uint64)
    r["kind"] = rng.choice([1, 2, 3, 3, 3, 4, 5, 6], n).astype(np.uint8)
    r["account"] = rng.integers(0, 4, n, dtype=np.uint16)
    r["instrument"] = rng.integers(0, 3, n, dtype=np.uint16)
    r["side"] = rng.integers(1, 3, n, dtype=np.uint8)
    r["qty"] = rng.integers(-(2**40), 2**40, n, dtype=np.int64)
    r["price"] = rng.integers(1, 10**9, n, dtype=np.int64)
    r["liquidity"] = np.where(r["kind"] == ReportKind.FILL, 1, 0).astype(np.uint8)
    return r


class GrowingSource:
    """A ``ReportSource`` over ``reports`` of which only the first ``count`` are produced;
    ``grow`` produces more (from any thread)."""

    def __init__(self, reports: np.ndarray, count: int | None = None) -> None:
        self.reports = reports
        self.count = len(reports) if count is None else count

    def report_count(self) -> int:
        return self.count

    def report_records(self, start: int, stop: int) -> bytes:
        return self.reports[start : min(stop, self.count)].tobytes()

    def grow(self, n: int) -> None:
        self.count = min(len(self.reports), self.count + n)


def grow_in_background(source: GrowingSource, step: int, pause_s: float) -> threading.Thread:
    """Produces ``step`` more reports every ``pause_s`` until the source is whole."""

    def produce() -> None:
        stop = threading.Event()
        while source.count < len(source.reports):
            source.grow(step)
            stop.wait(pause_s)

    thread = threading.Thread(target=produce, daemon=True)
    thread.start()
    return thread
