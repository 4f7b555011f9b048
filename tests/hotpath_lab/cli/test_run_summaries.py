"""Every percentile in ``run.json`` comes from the HDR recorder and has one shape, and the
run says which build of each extension it used."""

import dataclasses
from pathlib import Path

import pytest

from hotpath_lab.cli import main
from hotpath_lab.storage import Run, iter_runs, load_run

GOLDEN = Path(__file__).resolve().parents[2] / "golden"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = tmp_path_factory.mktemp("results")
    code = main([
        "bench", "--scenario", str(GOLDEN / "events-v1.hpe"), "--builds", "rust-ffi,rust-native",
        "--warmup", "2", "--jitter-seconds", "0", "--results-dir", str(root),
    ])  # fmt: skip
    assert code == 0
    (folder,) = iter_runs(root)
    return load_run(folder.path)


@pytest.mark.parametrize("build", ["rust-ffi", "rust-native"])
def test_overhead_and_late_dispatch_have_the_latency_summary_shape(run: Run, build: str) -> None:
    r = run.builds[build]
    shape = type(r.latency_ns.e2e)
    late = r.timed_pass.late_dispatch_ns
    assert type(late) is shape and late.count == r.events
    assert 0 <= late.min <= late.p50 <= late.max
    overhead = r.overhead_ns
    assert overhead is not None
    for s in (overhead.latency, overhead.service):
        assert type(s) is shape and s.count == overhead.events > 0
        assert s.min <= s.p50 <= s.p99 <= s.max
        assert {f.name for f in dataclasses.fields(s)} >= {"p50", "p99", "p999", "p9999"}
    assert overhead.service.p50 <= overhead.latency.p50


def test_the_environment_names_both_extensions(run: Run) -> None:
    env = run.environment
    assert env.hotpath_rs and env.hotpath_toolkit
    assert env.build_profile in ("release", "debug")
    assert env.toolkit_build_profile in ("release", "debug")
