"""``hotpath bench --drop-copy lab``: each build measured off and on in one run, the streams
read back and checked, the lab's Redis restarted mid-pass and the run still complete."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.hotpath_lab.reporting.sample import write_sample_scenario

from hotpath_format import read_events
from hotpath_lab.bench import check_options, run_bench
from hotpath_lab.drivers.plugin import BuildSpecError
from hotpath_lab.dropcopy.run import RestartPlan
from hotpath_lab.dropcopy.server import find_binary
from hotpath_lab.options import OptionsError, RunOptions
from hotpath_lab.storage import load_run

BUILDS = ("python", "rust-ffi", "rust-native")


@pytest.fixture(scope="module")
def restarted_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One run of a 9 s sample (48k events, recorded pace × 3): the Python loop reports its
    progress every 16,384 events, so the restart at 30 % lands inside every pass."""
    try:
        find_binary()
    except RuntimeError as exc:
        pytest.skip(f"the drop-copy needs a real Redis server: {exc}")
    base = tmp_path_factory.mktemp("dropcopy-bench")
    scenario = write_sample_scenario(base / "sample.hpe", seconds=9.0)
    options = RunOptions(
        builds=BUILDS, speed=3.0, warmup=500, throughput=False, overhead=False,
        jitter_seconds=0, drop_copy="lab", drop_copy_restart=0.3, snapshot_every=1_000,
    )  # fmt: skip
    return run_bench(read_events(scenario), options, base / "results")


@pytest.mark.slow
def test_every_build_runs_off_and_on_with_the_same_reports(restarted_run: Path) -> None:
    run = load_run(restarted_run)
    assert list(run.builds) == [row for b in BUILDS for row in (b, f"{b}@drop-copy")]
    assert run.agree
    assert len(set(run.digests.values())) == 1
    for build in BUILDS:
        assert run.builds[build].drop_copy is None
        on = run.builds[f"{build}@drop-copy"]
        assert on.drop_copy is not None
        assert on.throughput is None and on.overhead_ns is None  # only the timed pass
    assert run.ratios and not [pair for pair in run.ratios if "@drop-copy" in pair]


@pytest.mark.slow
def test_redis_holds_every_report_exactly_once_across_the_restart(restarted_run: Path) -> None:
    run = load_run(restarted_run)
    for build in BUILDS:
        row = run.builds[f"{build}@drop-copy"]
        dc = row.drop_copy
        assert dc is not None
        assert dc.prefix == f"hotpath:{run.run_id}:{build}@drop-copy"
        assert dc.check.exactly_once, (build, dc.check)
        assert dc.check.produced == dc.check.published == row.reports
        assert dc.check.snapshots == -(-row.reports // 1_000)  # every 1,000 and the last
        assert dc.publisher.produced == dc.publisher.published == row.reports
        assert dc.publisher.unpublished == 0 and dc.publisher.error is None
        assert dc.restart is not None
        assert 0.3 <= dc.restart.at_event / dc.restart.events < 1
        assert dc.publisher.reconnects >= 1, f"{build}: the restart was not noticed"


@pytest.mark.slow
def test_the_report_compares_off_and_on_and_says_what_reached_redis(
    restarted_run: Path,
) -> None:
    text = (restarted_run / "report.md").read_text()
    section = text[text.index("## Drop-copy to Redis") :]
    for build in BUILDS:
        assert f"| {build} | e2e | P99 |" in section
        assert f"| `{build}@drop-copy` |" in section
    assert "**no**" not in section and "yes" in section


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"drop_copy": "http://127.0.0.1:6379"}, "redis://host:port"),
        ({"drop_copy": "redis://127.0.0.1:6379", "drop_copy_restart": 0.5}, "--drop-copy lab"),
        ({"drop_copy": "lab", "drop_copy_restart": 1.0}, "fraction in (0, 1)"),
        ({"drop_copy": "lab", "snapshot_every": 0}, "--snapshot-every"),
    ],
)
def test_bad_drop_copy_options_are_refused_naming_the_option(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(OptionsError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_options(RunOptions(builds=("python",), **changes))  # type: ignore[arg-type]


def test_a_build_that_cannot_publish_is_refused_before_anything_runs() -> None:
    with pytest.raises(BuildSpecError, match="empty cannot publish a drop-copy"):
        check_options(RunOptions(builds=("python", "empty"), drop_copy="lab"))


class _Server:
    url = "redis://127.0.0.1:1"

    def __init__(self) -> None:
        self.restarts = 0

    def restart(self) -> None:
        self.restarts += 1


def test_the_restart_happens_once_inside_the_timed_pass_or_the_run_says_it_did_not() -> None:
    server = _Server()
    plan = RestartPlan(server, 0.5)
    plan.watch("warmup", 900, 1000)  # not the timed pass
    plan.watch("timed", 400, 1000)  # not far enough
    assert server.restarts == 0
    with pytest.raises(RuntimeError, match="never happened"):
        plan.outcome()
    plan.watch("timed", 1000, 1000)  # the pass is over: the streams are being read back
    assert server.restarts == 0
    plan.watch("timed", 600, 1000)
    plan.watch("timed", 800, 1000)
    assert server.restarts == 1
    outcome = plan.outcome()
    assert outcome is not None and (outcome["at_event"], outcome["events"]) == (600, 1000)
    assert RestartPlan(server, None).outcome() is None
