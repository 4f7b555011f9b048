"""GC pauses against the tail: per interval, and the per-build table."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hotpath_lab.reporting.hlog import IntervalCounts
from hotpath_lab.reporting.tail import pauses_by_interval, tail_by_interval, tail_table
from hotpath_lab.storage import load_run


def intervals() -> IntervalCounts:
    values = np.array([1_000, 10_000, 1_000_000])
    counts = np.array([[900, 100, 0], [880, 100, 10], [1000, 0, 0]])
    return IntervalCounts("e2e", np.array([0.0, 1.0, 2.0]), np.ones(3), values, counts)


def test_pauses_are_assigned_to_the_interval_they_started_in() -> None:
    gc = pd.DataFrame({"start_ms": [100.0, 1500.0, 1900.0], "pause_us": [50.0, 2000.0, 10.0]})
    df = pauses_by_interval(intervals(), gc)
    assert df["pauses"].tolist() == [1, 2, 0]
    assert df["max_pause_ms"].tolist() == [0.05, 2.0, 0.0]


def test_the_tail_that_fell_in_paused_seconds_is_counted() -> None:
    t = tail_by_interval(intervals(), np.array([False, True, False]))
    # the run's P99 is 10 µs; the ten 1 ms orders above it are all in interval 1
    assert t["p99_ns"] == 10_000
    assert t["tail_orders"] == 10 and t["tail_in_paused_share"] == 1.0
    assert t["p99_paused_intervals_ns"] == 1_000_000
    assert t["p99_other_intervals_ns"] == 10_000


def test_the_table_has_a_row_per_build_with_rust_at_zero(sample_run: Path) -> None:
    table = tail_table(sample_run).set_index("build")
    run = load_run(sample_run)
    assert list(table.index) == list(run.builds)
    assert table.loc["rust-native", "collections"] == 0
    assert table.loc["rust-native", "tail_in_paused_share"] == 0.0
    one = run.build("python").gc.overlap_at("0.01")
    assert one is not None
    assert table.loc["python", "slowest 1% in pause"].startswith(f"{one.overlapped}/{one.slowest}")
    assert table.loc["python", "p99_ns"] == pytest.approx(run.build("python").latency_ns.e2e.p99)
