"""Two runs of one scenario in the same second from the same commit: both are kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotpath_format import read_events
from hotpath_lab import bench
from hotpath_lab.options import RunOptions
from hotpath_lab.storage import iter_runs, load_run

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "events-v1.hpe"


@pytest.mark.slow
def test_runs_started_in_one_second_get_distinct_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bench, "new_run_id", lambda short: f"20261206T120000Z-{short}")
    options = RunOptions(
        builds=("python",), warmup=2, throughput=False, overhead=False, jitter_seconds=0
    )
    scenario = read_events(GOLDEN)
    first = bench.run_bench(scenario, options, tmp_path)
    second = bench.run_bench(scenario, options, tmp_path)
    assert second.name == f"{first.name}-2"
    assert load_run(second).run_id == second.name
    assert [r.path for r in iter_runs(tmp_path)] == [first, second]
