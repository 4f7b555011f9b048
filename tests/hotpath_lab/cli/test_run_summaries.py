"""Every percentile in ``run.json`` comes from the HDR recorder and has one shape, and the
run says which build of each extension it used."""

from pathlib import Path
from typing import Any

import pytest

from hotpath_lab.cli import main
from hotpath_lab.storage import iter_runs, load_run

GOLDEN = Path(__file__).resolve().parents[2] / "golden"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("results")
    code = main([
        "bench", "--scenario", str(GOLDEN / "events-v1.hpe"), "--builds", "rust-ffi,rust-native",
        "--warmup", "2", "--jitter-seconds", "0", "--results-dir", str(root),
    ])  # fmt: skip
    assert code == 0
    (folder,) = iter_runs(root)
    data: dict[str, Any] = load_run(folder.path)
    return data


@pytest.mark.parametrize("build", ["rust-ffi", "rust-native"])
def test_overhead_and_late_dispatch_have_the_latency_summary_shape(
    run: dict[str, Any], build: str
) -> None:
    r = run["builds"][build]
    shape = set(r["latency_ns"]["e2e"])
    assert shape == {"count", "min", "p50", "p90", "p99", "p999", "p9999", "max", "mean"}
    late = r["timed_pass"]["late_dispatch_ns"]
    assert set(late) == shape and late["count"] == r["events"]
    assert 0 <= late["min"] <= late["p50"] <= late["max"]
    overhead = r["overhead_ns"]
    for figure in ("latency", "service"):
        s = overhead[figure]
        assert set(s) == shape and s["count"] == overhead["events"] > 0
        assert s["min"] <= s["p50"] <= s["p99"] <= s["max"]
    assert overhead["service"]["p50"] <= overhead["latency"]["p50"]


def test_the_environment_names_both_extensions(run: dict[str, Any]) -> None:
    env = run["environment"]
    assert env["hotpath_rs"] and env["hotpath_toolkit"]
    assert env["build_profile"] in ("release", "debug")
    assert env["toolkit_build_profile"] in ("release", "debug")
