"""The four ways K workers drive their shards, each timed the same way.

Every mode gives a ``ModeRun``: the wall time from the first worker starting to the last
finishing, each shard's report digest, and the start and end stamp of every order request's
call (``time.perf_counter_ns`` in Python and ``hotpath_core::clock`` in Rust read the same
CLOCK_MONOTONIC). Workers run closed-loop, as fast as they go: this is a throughput
experiment, and an order's latency is the service time of its call, queueing excluded.

- ``python-threads``: one ``threading.Thread`` per worker, each calling the Python build's
  ``Engine.handle`` once per event; the GIL lets one thread run Python at a time.
- ``asyncio``: one task per worker on one event loop, each awaiting
  ``OrderGateway.on_event`` per event and yielding to the loop every ``ASYNCIO_YIELD_EVERY``
  events: concurrency without parallelism.
- ``rust-from-python-threads``: one Python thread per worker, each calling its own
  ``hotpath_rs.DetachedEngine.on_event`` once per event, the GIL released around the engine's
  work.
- ``rust-from-python-batched``: the same, but one ``DetachedEngine.replay_batch`` call per
  ``BATCH_EVENTS`` events, the GIL released once per batch; the orders are stamped in Rust,
  so their latency leaves out the wait for the GIL (it shows in throughput instead).
- ``rust-threads``: one ``std::thread`` per worker, started from one call
  (``hotpath_rs.replay_threads``), no Python in the loop.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from hotpath_format import EVENT_STRUCT, ScenarioMeta, order_capacity
from hotpath_lab.gil.shards import Shard, is_order_request

MODES: tuple[str, ...] = (
    "python-threads",
    "asyncio",
    "rust-from-python-threads",
    "rust-from-python-batched",
    "rust-threads",
)
"""Every mode, in the order the experiment runs and reports them."""

BATCH_EVENTS = 256
"""Events per ``replay_batch`` call: about 40 µs of engine work on volatility, so that the
Python side of a call (about 1 µs, GIL held) is a small share of it."""

ASYNCIO_YIELD_EVERY = 64
"""Events an asyncio task handles between ``await asyncio.sleep(0)``: often enough that the
K tasks interleave finely (as K connections would), rarely enough that the loop's own cost
stays a small share of the work. ``OrderGateway.on_event`` never suspends by itself."""


@dataclass
class WorkerRun:
    """What one worker did; stamps in ns of CLOCK_MONOTONIC, one per order request."""

    started_ns: int = 0
    finished_ns: int = 0
    digests: list[str] = field(default_factory=list)
    order_start: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    order_end: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))

    def stamped(self, starts: list[int], ends: list[int]) -> None:
        """Keeps the stamps a Python worker appended (converted after the timed loop)."""
        self.order_start = np.asarray(starts, np.uint64)
        self.order_end = np.asarray(ends, np.uint64)


@dataclass(frozen=True)
class ModeRun:
    """One mode at one concurrency level."""

    mode: str
    workers: int
    wall_ns: int
    digests: dict[int, str]
    """Report digest per shard, keyed by the shard's account."""
    order_start: np.ndarray
    order_end: np.ndarray


class ShardEngine(Protocol):
    """What a Python-driven worker needs of an engine: one call per event, a digest."""

    def digest(self) -> str: ...


EngineFactory = Callable[[ScenarioMeta, Shard], tuple[ShardEngine, Callable[..., object]]]
"""``(meta, shard) -> (engine, its per-event call taking (index, *EVENT_STRUCT fields))``."""


def python_engine(meta: ScenarioMeta, shard: Shard) -> tuple[ShardEngine, Callable[..., object]]:
    from hotpath_asyncio import Engine

    engine = Engine(meta)
    return engine, engine.handle


def detached_rust_engine(
    meta: ScenarioMeta, shard: Shard
) -> tuple[ShardEngine, Callable[..., object]]:
    import hotpath_rs

    engine = hotpath_rs.DetachedEngine(meta.to_json(), order_capacity(shard.records))
    return engine, engine.on_event


def run_mode(mode: str, meta: ScenarioMeta, workers: Sequence[Sequence[Shard]]) -> ModeRun:
    """Drives ``workers[k]``'s shards by worker ``k`` in the way ``mode`` names."""
    if mode == "python-threads":
        runs = _on_python_threads(meta, workers, _per_event(python_engine))
    elif mode == "rust-from-python-threads":
        runs = _on_python_threads(meta, workers, _per_event(detached_rust_engine))
    elif mode == "rust-from-python-batched":
        runs = _on_python_threads(meta, workers, _batched_rust)
    elif mode == "asyncio":
        runs = asyncio.run(_on_event_loop(meta, workers))
    elif mode == "rust-threads":
        runs = _on_rust_threads(meta, workers)
    else:
        raise ValueError(f"unknown mode {mode!r}: one of {', '.join(MODES)}")
    return _collect(mode, workers, runs)


def _collect(mode: str, workers: Sequence[Sequence[Shard]], runs: list[WorkerRun]) -> ModeRun:
    digests = {
        shard.account: digest
        for shards, run in zip(workers, runs, strict=True)
        for shard, digest in zip(shards, run.digests, strict=True)
    }
    return ModeRun(
        mode=mode,
        workers=len(workers),
        wall_ns=max(r.finished_ns for r in runs) - min(r.started_ns for r in runs),
        digests=digests,
        order_start=np.concatenate([r.order_start for r in runs]),
        order_end=np.concatenate([r.order_end for r in runs]),
    )


WorkerBody = Callable[[ScenarioMeta, Sequence[Shard], threading.Barrier, WorkerRun], None]
"""Prepares a worker's engines, waits at the common start, then drives and stamps its shards
into the ``WorkerRun``."""


def _on_python_threads(
    meta: ScenarioMeta, workers: Sequence[Sequence[Shard]], body: WorkerBody
) -> list[WorkerRun]:
    """One thread per worker, all released by one barrier; a worker's error is re-raised."""
    start = threading.Barrier(len(workers))
    runs = [WorkerRun() for _ in workers]
    errors: list[BaseException] = []

    def work(shards: Sequence[Shard], run: WorkerRun) -> None:
        try:
            body(meta, shards, start, run)
        except BaseException as exc:
            errors.append(exc)
            start.abort()

    threads = [
        threading.Thread(target=work, args=(shards, run), name=f"gil-worker-{k}")
        for k, (shards, run) in enumerate(zip(workers, runs, strict=True))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    real = [e for e in errors if not isinstance(e, threading.BrokenBarrierError)]
    if real or errors:
        raise (real or errors)[0]
    return runs


def _per_event(factory: EngineFactory) -> WorkerBody:
    """A worker calling its engines once per event, stamping around each order request."""

    def body(
        meta: ScenarioMeta, shards: Sequence[Shard], start: threading.Barrier, run: WorkerRun
    ) -> None:
        # engines and request flags made before the common start: the timed loop only
        # decodes, calls and stamps
        prepared = [(factory(meta, s), is_order_request(s.records).tolist(), s) for s in shards]
        start.wait()
        run.started_ns = time.perf_counter_ns()
        clock = time.perf_counter_ns
        starts: list[int] = []
        ends: list[int] = []
        for (engine, handle), flags, shard in prepared:
            rows = EVENT_STRUCT.iter_unpack(shard.records.data.cast("B"))
            for index, (fields, is_request) in enumerate(zip(rows, flags, strict=True)):
                if is_request:
                    starts.append(clock())
                    handle(index, *fields)
                    ends.append(clock())
                else:
                    handle(index, *fields)
            run.digests.append(engine.digest())
        run.finished_ns = time.perf_counter_ns()
        run.stamped(starts, ends)

    return body


def _batched_rust(
    meta: ScenarioMeta, shards: Sequence[Shard], start: threading.Barrier, run: WorkerRun
) -> None:
    """A worker handing its Rust engines ``BATCH_EVENTS`` events per call."""
    import hotpath_rs

    meta_json = meta.to_json()
    size = EVENT_STRUCT.size
    prepared = [
        (
            hotpath_rs.DetachedEngine(meta_json, order_capacity(s.records)),
            s.records.view(np.uint8),
            s.events,
        )
        for s in shards
    ]
    start.wait()
    run.started_ns = time.perf_counter_ns()
    for engine, raw, n in prepared:
        for first in range(0, n, BATCH_EVENTS):
            engine.replay_batch(raw[first * size : (first + BATCH_EVENTS) * size], first)
        run.digests.append(engine.digest())
    run.finished_ns = time.perf_counter_ns()
    stamps = [engine.order_stamps() for engine, _raw, _n in prepared]
    run.order_start = np.concatenate([s for s, _e in stamps])
    run.order_end = np.concatenate([e for _s, e in stamps])


async def _on_event_loop(meta: ScenarioMeta, workers: Sequence[Sequence[Shard]]) -> list[WorkerRun]:
    """One task per worker on the running loop, all created before any runs."""
    from hotpath_asyncio import Engine, OrderGateway

    runs = [WorkerRun() for _ in workers]

    async def work(prepared: list[tuple[Engine, list[bool], Shard]], run: WorkerRun) -> None:
        run.started_ns = time.perf_counter_ns()
        clock = time.perf_counter_ns
        starts: list[int] = []
        ends: list[int] = []
        for engine, flags, shard in prepared:
            on_event = OrderGateway(engine).on_event
            rows = EVENT_STRUCT.iter_unpack(shard.records.data.cast("B"))
            for index, (fields, is_request) in enumerate(zip(rows, flags, strict=True)):
                if is_request:
                    starts.append(clock())
                    await on_event(index, *fields)
                    ends.append(clock())
                else:
                    await on_event(index, *fields)
                if index % ASYNCIO_YIELD_EVERY == ASYNCIO_YIELD_EVERY - 1:
                    await asyncio.sleep(0)
            run.digests.append(engine.digest())
        run.finished_ns = time.perf_counter_ns()
        run.stamped(starts, ends)

    prepared = [
        [(Engine(meta), is_order_request(s.records).tolist(), s) for s in shards]
        for shards in workers
    ]
    await asyncio.gather(*(work(p, run) for p, run in zip(prepared, runs, strict=True)))
    return runs


def _on_rust_threads(meta: ScenarioMeta, workers: Sequence[Sequence[Shard]]) -> list[WorkerRun]:
    import hotpath_rs

    runs = hotpath_rs.replay_threads(meta.to_json(), [[s.records for s in w] for w in workers])
    return [
        WorkerRun(
            started_ns=r.started_ns,
            finished_ns=r.finished_ns,
            digests=r.digests,
            order_start=r.order_start,
            order_end=r.order_end,
        )
        for r in runs
    ]
