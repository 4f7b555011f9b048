"""Interval logs and percentile text decoded into arrays that match run.json exactly."""

from pathlib import Path

import numpy as np
import pytest

from hotpath_lab.reporting.hlog import (
    IntervalLogError,
    quantiles,
    read_hgrm,
    read_interval_log,
)
from hotpath_lab.storage import METRICS, load_run


def test_quantiles_follow_the_hdrhistogram_rule() -> None:
    values = np.array([10, 20, 30, 40])
    counts = np.array([50, 40, 9, 1])
    got = quantiles(values, counts, [0.0, 0.5, 0.9, 0.99, 0.995, 1.0])
    # target count = max(1, ceil(q * 100)): 1, 50, 90, 99, 100, 100
    assert got.tolist() == [10, 10, 20, 30, 40, 40]


def test_quantiles_of_many_histograms_at_once_and_of_an_empty_one() -> None:
    values = np.array([1, 2, 3])
    got = quantiles(values, np.array([[1, 0, 1], [0, 0, 0]]), [0.5, 1.0])
    assert got[0].tolist() == [1, 3]
    assert np.isnan(got[1]).all()


@pytest.mark.parametrize("build", ["python", "rust-ffi", "rust-native"])
def test_merged_intervals_reproduce_the_run_summary(sample_run: Path, build: str) -> None:
    summary = load_run(sample_run).build(build).latency_ns
    logs = read_interval_log(sample_run / f"{build}.hlog")
    assert set(logs) == {m for m in METRICS if summary.of(m).count}
    for metric, ic in logs.items():
        s = summary.of(metric)
        assert int(ic.total.sum()) == s.count
        got = quantiles(ic.values, ic.merged(), [0.5, 0.9, 0.99, 0.999, 0.9999, 1.0])
        assert got.tolist() == [s.p50, s.p90, s.p99, s.p999, s.p9999, s.max], metric
        assert (np.diff(ic.start_s) > 0).all()
        assert ic.start_s[0] >= 0 and (ic.length_s > 0).all()
        # times are the log's own (3 decimals of a second), not float noise around them
        assert np.array_equal(ic.start_s, np.round(ic.start_s, 3))


def test_the_percentile_text_is_read_back_in_nanoseconds(sample_run: Path) -> None:
    summary = load_run(sample_run).build("python").latency_ns.e2e
    t = read_hgrm(sample_run / "python.hgrm")
    assert t.percentile[0] == 0.0 and t.percentile[-1] == 1.0
    assert t.total_count[-1] == summary.count
    # printed with 3 decimals of a µs: within 1 ns of the exact maximum
    assert abs(t.value_ns[-1] - summary.max) <= 1


def test_a_damaged_interval_log_names_the_file_and_interval(
    sample_run: Path, tmp_path: Path
) -> None:
    lines = (sample_run / "python.hlog").read_text().splitlines()
    intervals = [i for i, line in enumerate(lines) if line.startswith("Tag=")]
    bad = tmp_path / "x.hlog"
    damaged = list(lines)
    damaged[intervals[1]] = "Tag=e2e,1.000,1.000,1.0,HISTnotbase64!!"
    bad.write_text("\n".join(damaged) + "\n")
    with pytest.raises(IntervalLogError, match=r"x\.hlog: interval 2: bad histogram payload"):
        read_interval_log(bad)
    # a line hdrh's reader would skip without a word is counted, not lost
    bad.write_text("\n".join([*lines[: intervals[2]], "garbage line", *lines[intervals[2] :]]))
    with pytest.raises(IntervalLogError, match=r"x\.hlog: 1 of \d+ lines are not interval lines"):
        read_interval_log(bad)
    with pytest.raises(IntervalLogError, match=r"cannot read"):
        read_interval_log(tmp_path / "missing.hlog")
