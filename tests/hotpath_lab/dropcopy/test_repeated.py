"""The drop-copy's cost over several runs: each run's off and on rows are a pair, and the
interval is bounded only when there are at least two."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from tests.hotpath_lab.reporting.sample import write_sample_scenario

from hotpath_format import read_events
from hotpath_lab.bench import run_bench
from hotpath_lab.dropcopy.repeated import costs, main, published_builds, run_folders
from hotpath_lab.dropcopy.server import find_binary
from hotpath_lab.options import RunOptions

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    try:
        find_binary()
    except RuntimeError as exc:
        pytest.skip(f"the drop-copy needs a real Redis server: {exc}")
    base = tmp_path_factory.mktemp("dropcopy-repeated")
    events = read_events(write_sample_scenario(base / "sample.hpe", seconds=3.0))
    options = RunOptions(
        builds=("rust-native",), speed=3.0, warmup=500, throughput=False, overhead=False,
        jitter_seconds=0, drop_copy="lab",
    )  # fmt: skip
    for _ in range(2):
        run_bench(events, options, base / "runs")
    return base / "runs"


def test_the_runs_are_found_and_their_published_builds_named(two_runs: Path) -> None:
    runs = run_folders([two_runs])
    assert len(runs) == 2
    assert published_builds(runs[0]) == ["rust-native"]


def test_one_run_cannot_bound_the_cost_two_can(two_runs: Path) -> None:
    runs = run_folders([two_runs])
    (one,) = [r for r in costs(runs[:1], ["rust-native"]) if (r.metric, r.change.q) == ("e2e", 0.5)]
    assert (one.change.low, one.change.high) == (-math.inf, math.inf)
    assert one.verdict == "no clear change"
    rows = costs(runs, ["rust-native"])
    assert {(r.metric, r.change.q) for r in rows} == {
        (m, q) for m in ("e2e", "service") for q in (0.5, 0.99, 0.999)
    }
    for r in rows:
        ch = r.change
        assert ch.baseline > 0 and ch.candidate > 0
        assert ch.change == pytest.approx(ch.candidate / ch.baseline - 1)
        assert math.isfinite(ch.low) and ch.low <= ch.change <= ch.high


def test_the_command_prints_the_table_and_refuses_what_it_cannot_read(
    two_runs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(two_runs)]) == 0
    out = capsys.readouterr().out
    assert "over 2 runs" in out and "rust-native" in out and "P99.9" in out
    assert main([str(tmp_path)]) == 2  # an empty folder holds no run
    assert main([str(tmp_path / "missing")]) == 3
    assert "neither a run folder" in capsys.readouterr().err
