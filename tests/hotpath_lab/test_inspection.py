"""``inspection``: message rates of a scenario, whatever the span of its timestamps."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.one_instrument import META, scenario_at

from hotpath_format import read_events
from hotpath_lab.cli import main
from hotpath_lab.inspection import Rates, sparkline, summarize

NS = 1_000_000_000


def scenario(tmp_path: Path, ts: list[int]) -> Path:
    return scenario_at(tmp_path / "span.hpe", ts, {**META, "name": "span"})


def test_a_last_timestamp_centuries_away_is_summarised_without_a_dense_array(
    tmp_path: Path,
) -> None:
    """ts = 2**64-1 is a file the reader accepts; a per-second array over its span would be
    137 GiB."""
    s = summarize(read_events(scenario(tmp_path, [0, 1, 5 * NS, 2**64 - 1])))
    assert s.span_seconds == (2**64 - 1) // NS + 1
    assert s.busy_seconds == [0, 5, (2**64 - 1) // NS]
    assert s.rate_per_second == [2, 1, 1]
    assert (s.peak_rate, s.peak_second, s.median_rate, s.quiet_rate) == (2, 0, 0.0, 0.0)
    assert s.peak_100ms_rate == 20
    line = sparkline(s.rates())
    assert len(line) == 60 and line[0] == "█" and line[-1] != "▁"


def test_inspect_of_that_file_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenario", "inspect", str(scenario(tmp_path, [0, 2**64 - 1]))]) == 0
    assert "peak second 1/s" in capsys.readouterr().out


@given(st.lists(st.integers(0, 40), min_size=1, max_size=200), st.integers(1, 20))
def test_rates_agree_with_the_dense_series(gaps: list[int], spread: int) -> None:
    """Percentiles, peak and sparkline of the sparse counts equal those numpy gives over the
    dense per-bin series, empty bins included."""
    ts = np.cumsum(np.array(gaps, dtype=np.uint64) * np.uint64(NS // spread))
    dense = np.bincount(((ts - ts[0]) // np.uint64(NS)).astype(np.int64))
    rates = Rates.of(ts, int(ts[0]))
    assert rates.span == len(dense)
    for q in (10, 50, 90):
        assert rates.percentile(q) == pytest.approx(float(np.percentile(dense, q)), abs=1e-9)
    assert rates.percentile(50) == pytest.approx(float(np.median(dense)), abs=1e-9)
    assert rates.peak() == int(dense.max())
    assert sparkline(rates) == dense_sparkline([int(x) for x in dense])


def dense_sparkline(values: list[int], width: int = 60) -> str:
    """The sparkline as first written, over the dense series: the reference."""
    blocks = "▁▂▃▄▅▆▇█"
    arr = np.asarray(values, dtype=np.float64)
    cols = np.array_split(arr, min(width, len(arr)))
    peaks = np.array([c.max() for c in cols])
    top = peaks.max() or 1.0
    return "".join(
        blocks[min(len(blocks) - 1, int(p / top * (len(blocks) - 1) + 0.5))] for p in peaks
    )
