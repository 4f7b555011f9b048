"""Throughput of the Python build and the cost of stage stamps (benchmarks, not tests).

Run with ``pytest tests/hotpath_asyncio/test_bench_replay.py -m benchmark -s``; the default
run skips them. Figures are printed; nothing here asserts on time.
"""

from __future__ import annotations

import asyncio
import gc
import statistics
import time

import numpy as np
import pytest
from pytest_benchmark.fixture import BenchmarkFixture
from tests.hotpath_asyncio.streams import REALISTIC, random_scenario

from hotpath_asyncio import Engine, StageTimes, replay, replay_async
from hotpath_format import ScenarioMeta

pytestmark = pytest.mark.benchmark

N_EVENTS = 200_000
Scenario = tuple[ScenarioMeta, np.ndarray]


@pytest.fixture(scope="module")
def realistic() -> Scenario:
    """~200k events (2 instruments, 3 venues, 4 accounts): 62% book deltas, 8% trades,
    30% order requests (20% NEW, 7% CANCEL, 3% REPLACE)."""
    return random_scenario(11, N_EVENTS, REALISTIC)


def _report(label: str, n_events: int, benchmark: BenchmarkFixture) -> None:
    assert benchmark.stats is not None
    seconds: float = benchmark.stats.stats.min
    print(
        f"\n{label}: {n_events / seconds:,.0f} events/s ({seconds / n_events * 1e9:.0f} ns/event)"
    )


def test_bench_replay(benchmark: BenchmarkFixture, realistic: Scenario) -> None:
    meta, records = realistic
    engine: Engine = benchmark.pedantic(  # type: ignore[no-untyped-call]
        replay, args=(meta, records), rounds=5, iterations=1, warmup_rounds=1
    )
    benchmark.extra_info["events"] = len(records)
    benchmark.extra_info["reports"] = len(engine.reports)
    _report("replay (min of 5)", len(records), benchmark)


def test_bench_replay_async(benchmark: BenchmarkFixture, realistic: Scenario) -> None:
    meta, records = realistic

    def run() -> Engine:
        return asyncio.run(replay_async(meta, records))

    engine: Engine = benchmark.pedantic(  # type: ignore[no-untyped-call]
        run, rounds=5, iterations=1, warmup_rounds=1
    )
    benchmark.extra_info["events"] = len(records)
    assert engine.digest() == replay(meta, records).digest()
    _report("replay_async (min of 5)", len(records), benchmark)


def test_bench_stage_times_cost(realistic: Scenario) -> None:
    """Interleaved untimed/timed replays; the difference per event is the stamps' cost."""
    meta, records = realistic
    n = len(records)
    untimed: list[float] = []
    timed: list[float] = []
    for _ in range(7):
        for runs, stamps in ((untimed, None), (timed, StageTimes(n))):
            gc.collect()
            start = time.process_time()
            replay(meta, records, stamps)
            runs.append(time.process_time() - start)
    off, on = min(untimed), min(timed)
    stamps = StageTimes(n)
    replay(meta, records, stamps)
    n_stamps = sum(int(np.count_nonzero(a)) for a in stamps.as_numpy().values())
    print(
        f"\nstage stamps: off {off / n * 1e9:.0f} ns/event, on {on / n * 1e9:.0f} ns/event "
        f"(min of 7 interleaved CPU times): +{(on - off) / n * 1e9:.0f} ns/event, "
        f"{n_stamps / n:.2f} stamps/event, ~{(on - off) / n_stamps * 1e9:.0f} ns/stamp; "
        f"medians off {statistics.median(untimed):.3f}s on {statistics.median(timed):.3f}s"
    )
