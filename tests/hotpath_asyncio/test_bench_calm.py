"""Per-order cost of each stage of the Python build on the ``calm`` scenario (benchmarks).

Run with ``make bench-py`` (``pytest -m benchmark``); the default test run skips them.
Figures are printed; nothing asserts on time.
"""

from __future__ import annotations

import numpy as np
import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from hotpath_asyncio import Engine, replay
from hotpath_format import EventFile, EventKind, read_events
from hotpath_lab.drivers.builds import PythonBuild
from hotpath_lab.drivers.python_loop import run_pass
from hotpath_lab.pacing import Pace
from hotpath_lab.scenarios import build_scenario

pytestmark = pytest.mark.benchmark


@pytest.fixture(scope="module")
def calm() -> EventFile:
    return read_events(build_scenario("calm"))


def test_bench_calm_replay(benchmark: BenchmarkFixture, calm: EventFile) -> None:
    """Whole-scenario replay: ns per event and per order request (market data included)."""
    engine: Engine = benchmark.pedantic(  # type: ignore[no-untyped-call]
        replay, args=(calm.meta, calm.records), rounds=5, iterations=1, warmup_rounds=1
    )
    kinds = calm.records["kind"]
    orders = int(np.isin(kinds, [EventKind.NEW_ORDER, EventKind.CANCEL, EventKind.REPLACE]).sum())
    assert benchmark.stats is not None
    best: float = benchmark.stats.stats.min
    benchmark.extra_info.update(events=len(kinds), orders=orders, reports=len(engine.reports))
    print(
        f"\ncalm: {len(kinds):,} events, {orders:,} order requests; best of 5: "
        f"{best * 1e9 / len(kinds):,.0f} ns/event, {best * 1e9 / orders:,.0f} ns per order "
        f"request incl. its market data ({orders / best:,.0f} orders/s)"
    )


def test_bench_calm_stages(calm: EventFile) -> None:
    """Stage durations per order request, from the build's own stage stamps (closed loop)."""
    records = calm.records
    pipeline = PythonBuild().create(calm.meta, len(records), stage_timing=True)
    t = run_pass(pipeline, records, Pace.parse("max"))
    kinds = records["kind"]
    is_order = np.isin(kinds, [EventKind.NEW_ORDER, EventKind.CANCEL, EventKind.REPLACE])
    v, r, x = (a.astype(np.int64) for a in (t.validated, t.risked, t.executed))
    start, end = t.start.astype(np.int64), t.end.astype(np.int64)
    accepted = is_order & (v > 0) & (r > 0) & (x > 0)
    rows = {
        "validation (incl. decode and call)": (v - start)[is_order & (v > 0)],
        "risk": (r - v)[is_order & (r > 0) & (v > 0)],
        "execution (accepted)": (x - r)[accepted],
        "whole request": (end - start)[is_order],
        "market-data event": (end - start)[~is_order],
    }
    print(f"\ncalm, Python build, ns ({int(is_order.sum()):,} order requests):")
    for name, values in rows.items():
        assert len(values) > 0, name
        p50, p99 = np.percentile(values, [50, 99])
        print(f"  {name:<36} mean {values.mean():>7,.0f}  p50 {p50:>7,.0f}  p99 {p99:>8,.0f}")
