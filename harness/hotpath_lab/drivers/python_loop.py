"""The Python-side driver: an asyncio loop that paces events into a pipeline.

The loop does the least it can between the two timestamps that bracket each call: decode
the record with ``struct`` (part of the gateway's cost, the same for every build it
drives), call or await the pipeline, store the stamps into preallocated arrays.
"""

from __future__ import annotations

import asyncio
import time
from array import array
from collections.abc import Coroutine
from typing import Any, TypeVar

import numpy as np

from hotpath_format import EVENT_DTYPE, EVENT_STRUCT
from hotpath_lab.drivers.plugin import PassTimes, Pipeline, ProgressFn
from hotpath_lab.pacing import Pace

SPIN_NS = 2_000_000
"""Gaps up to twice this are busy-polled (as a low-latency loop would, keeping the core and
its caches warm); longer idle stretches sleep until this long before the event is due.

The driver sleeps with ``time.sleep``, not ``asyncio.sleep``: asyncio's timers round to the
millisecond and overshoot, which would make events start late and charge the build for the
driver's sloppiness. While it waits, the driver stands in for the network: a real gateway's
loop would be blocked in ``epoll`` at that moment, with nothing else to run."""

GAP_NS = 1_000
"""A gap this long between two clock reads of the spin loop means the thread was not
running (the same threshold as the noise-floor probe): wall time, but no CPU time."""

LEAD_IN_NS = 5_000_000
"""The first event is due this long after the pass starts."""

T = TypeVar("T")


def run_pass(
    pipeline: Pipeline,
    records: np.ndarray,
    pace: Pace,
    *,
    progress: ProgressFn | None = None,
    limit: int | None = None,
) -> PassTimes:
    """Drives ``records[:limit]`` through ``pipeline`` under ``pace``."""
    if records.dtype != EVENT_DTYPE:
        raise TypeError(f"expected event records, got {records.dtype}")
    n = len(records) if limit is None else min(limit, len(records))
    offsets = pace.offsets_ns(records["ts"][:n])
    return _run(pipeline, _drive(pipeline, records, n, offsets, progress))


def _run(pipeline: Pipeline, main: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(main)`` on the pipeline's event loop, if it names one (``loop_factory``,
    docs/measurement.md); else on asyncio's default loop, as ``asyncio.run`` would."""
    try:
        with asyncio.Runner(loop_factory=getattr(pipeline, "loop_factory", None)) as runner:
            return runner.run(main)
    finally:
        main.close()  # a loop that failed to start never ran it: no "never awaited" warning


def feed(pipeline: Pipeline, records: np.ndarray, *, progress: ProgressFn | None = None) -> None:
    """Every record through ``pipeline`` as fast as possible, with no timing and nothing
    allocated by the driver: for correctness runs (``hotpath run``, ``shadow``) and for
    measuring what the engine alone holds in memory."""
    buf = np.ascontiguousarray(records).view(np.uint8).data
    n = len(records)
    unpack = EVENT_STRUCT.unpack_from
    size = EVENT_STRUCT.size
    handle = pipeline.handle
    step = 1 << 16

    async def drive_async() -> None:
        for i in range(n):
            await handle(i, *unpack(buf, i * size))
            if progress is not None and i % step == 0:
                progress(i, n)

    if pipeline.asynchronous:
        _run(pipeline, drive_async())
    else:
        for i in range(n):
            handle(i, *unpack(buf, i * size))
            if progress is not None and i % step == 0:
                progress(i, n)
    if progress is not None:
        progress(n, n)


async def _drive(
    pipeline: Pipeline,
    records: np.ndarray,
    n: int,
    offsets: np.ndarray | None,
    progress: ProgressFn | None,
) -> PassTimes:
    buf = np.ascontiguousarray(records[:n]).view(np.uint8).data
    unpack = EVENT_STRUCT.unpack_from
    size = EVENT_STRUCT.size
    perf = time.perf_counter_ns
    handle = pipeline.handle
    intended = array("Q", bytes(8 * n))
    start = array("Q", bytes(8 * n))
    end = array("Q", bytes(8 * n))
    due_at = array("Q", offsets.tobytes()) if offsets is not None else None
    sleep = time.sleep
    spin_ns = spin_lost_ns = 0
    step = 1 << 14
    t0 = perf() + LEAD_IN_NS
    for i in range(n):
        if due_at is not None:
            due = t0 + due_at[i]
            now = perf()
            if now < due:
                if due - now > 2 * SPIN_NS:
                    sleep((due - now - SPIN_NS) / 1e9)
                    now = perf()
                t = last = now
                while t < due:
                    t = perf()
                    if t - last > GAP_NS:  # the thread was not running: no CPU spent
                        spin_lost_ns += t - last
                    last = t
                spin_ns += t - now
            intended[i] = due
        s = perf()
        fields = unpack(buf, i * size)
        if pipeline.asynchronous:
            await handle(i, *fields)
        else:
            handle(i, *fields)
        end[i] = perf()
        start[i] = s
        if due_at is None:
            intended[i] = s
        if progress is not None and i % step == 0:
            progress(i, n)
    if progress is not None:
        progress(n, n)
    stages = pipeline.stage_times()
    zeros = np.zeros(n, np.uint64)
    validated, risked, executed = (
        (np.asarray(a[:n], np.uint64) for a in stages) if stages is not None else (zeros,) * 3
    )
    return PassTimes(
        t0=t0,
        intended=np.frombuffer(intended, np.uint64),
        start=np.frombuffer(start, np.uint64),
        end=np.frombuffer(end, np.uint64),
        validated=validated,
        risked=risked,
        executed=executed,
        spin_ns=spin_ns,
        spin_lost_ns=spin_lost_ns,
    )
