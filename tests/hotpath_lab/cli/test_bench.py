"""``hotpath bench`` end to end on a tiny scenario: the run folder, its files, and refusals."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from hdrh.histogram import HdrHistogram
from hdrh.log import HistogramLogReader

from hotpath_lab.cli import main
from hotpath_lab.storage import encode, iter_runs, load_run


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory: pytest.TempPathFactory, golden_dir_module: Path) -> Path:
    root = tmp_path_factory.mktemp("results")
    code = main([
        "bench", "--scenario", str(golden_dir_module / "events-v1.hpe"), "--warmup", "2",
        "--jitter-seconds", "0.2", "--results-dir", str(root),
    ])  # fmt: skip
    assert code == 0
    runs = list(iter_runs(root))
    assert len(runs) == 1
    return runs[0].path


@pytest.fixture(scope="module")
def golden_dir_module() -> Path:
    return Path(__file__).resolve().parents[2] / "golden"


def test_run_folder_holds_every_file_named_in_run_json(run_folder: Path) -> None:
    run = encode(load_run(run_folder))  # checked by the model, read as JSON
    assert set(run["builds"]) == {"python", "rust-ffi", "rust-native"}
    assert run["agree"] is True
    for build, r in run["builds"].items():
        files = r["files"]
        assert (run_folder / files["hlog"]).is_file()
        assert (run_folder / files["gc_csv"]).is_file()
        assert files["hgrm"]["e2e"] == f"{build}.hgrm"
        for name in files["hgrm"].values():
            assert (run_folder / name).read_text().startswith("       Value     Percentile")
    env = run["environment"]
    for key in ("cpu_model", "cpu_count", "kernel", "python", "rustc", "git", "build_profile"):
        assert env.get(key) is not None, key
    assert len(run["scenario"]["sha256"]) == 64
    assert not list(run_folder.parent.glob(".*partial")), "no staging folder left behind"


def test_hlog_decodes_with_hdrhistogram_and_matches_run_json(run_folder: Path) -> None:
    run = encode(load_run(run_folder))  # checked by the model, read as JSON
    for build, r in run["builds"].items():
        reader = HistogramLogReader(
            str(run_folder / r["files"]["hlog"]), HdrHistogram(1, 3_600_000_000_000, 3)
        )
        merged: dict[str, HdrHistogram] = {}
        while (h := reader.get_next_interval_histogram()) is not None:
            merged.setdefault(h.get_tag(), HdrHistogram(1, 3_600_000_000_000, 3)).add(h)
        reader.close()
        assert "e2e" in merged and "tick_to_book" in merged
        for metric, h in merged.items():
            s = r["latency_ns"][metric]
            assert h.get_total_count() == s["count"], (build, metric)
            for q, key in ((50, "p50"), (99, "p99"), (99.9, "p999")):
                assert h.get_value_at_percentile(q) == s[key], (build, metric, key)
            assert h.get_max_value() == s["max"]


def test_results_show_and_compare(run_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = str(run_folder.parents[1])
    assert main(["results", "--results-dir", root, "show", run_folder.name]) == 0
    assert "end-to-end" in capsys.readouterr().out
    assert (
        main(["results", "--results-dir", root, "compare", str(run_folder), str(run_folder)]) == 0
    )
    assert "+0.0%" in capsys.readouterr().out
    assert main(["results", "--results-dir", root, "show", "no-such-run"]) == 3


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--builds", "python,cobol"], 2),
        (["--builds", "python,python"], 2),
        (["--pace", "warp"], 2),
        (["--pace", "rate:-5"], 2),
        (["--speed", "0"], 2),
        (["--jitter-seconds", "-1"], 2),
    ],
)
def test_bad_options_are_refused_and_leave_no_run_folder(
    tmp_path: Path, golden_dir_module: Path, args: list[str], code: int
) -> None:
    scenario = str(golden_dir_module / "events-v1.hpe")
    assert main(["bench", "--scenario", scenario, "--results-dir", str(tmp_path), *args]) == code
    assert list(tmp_path.iterdir()) == []


def test_corrupt_or_missing_scenario_is_bad_input(tmp_path: Path, golden_dir_module: Path) -> None:
    bad = tmp_path / "bad.hpe"
    raw = bytearray((golden_dir_module / "events-v1.hpe").read_bytes())
    raw[8] = 9  # version
    bad.write_bytes(bytes(raw))
    results = tmp_path / "results"
    assert main(["bench", "--scenario", str(bad), "--results-dir", str(results)]) == 3
    assert (
        main(["bench", "--scenario", str(tmp_path / "nope.hpe"), "--results-dir", str(results)])
        == 3
    )
    assert not results.exists()


def test_a_crashing_build_leaves_no_run_folder(tmp_path: Path, golden_dir_module: Path) -> None:
    scenario = tmp_path / "s.hpe"
    shutil.copy(golden_dir_module / "events-v1.hpe", scenario)
    results = tmp_path / "results"
    code = main([
        "bench", "--scenario", str(scenario), "--results-dir", str(results),
        "--builds", "hotpath_lab.drivers.calibration:does_not_exist",
    ])  # fmt: skip
    assert code == 2
    assert not results.exists() or not any(results.rglob("run.json"))


def test_each_worker_records_the_machine_noise_floor(run_folder: Path) -> None:
    run = encode(load_run(run_folder))  # checked by the model, read as JSON
    for build, r in run["builds"].items():
        j = r["jitter"]
        assert 0.2e9 <= j["duration_ns"] < 1e9, build
        assert j["threshold_ns"] == 1_000
        assert 0.0 <= j["stolen_share"] <= 1.0
        assert j["stolen_share"] == pytest.approx(j["stolen_ns"] / j["duration_ns"])
        assert j["stolen_ns"] >= j["count"] * j["threshold_ns"], "every gap counted is over it"
        assert j["per_second"] == pytest.approx(j["count"] * 1e9 / j["duration_ns"])
        if j["count"]:
            assert j["threshold_ns"] < j["p50_ns"] <= j["p99_ns"] <= j["max_ns"]
    report = (run_folder / "report.md").read_text()
    assert "Machine noise floor" in report
    assert report.count("the machine, not the build, sets latency") == len(run["builds"])


def test_run_json_is_plain_json(run_folder: Path) -> None:
    data = json.loads((run_folder / "run.json").read_text())
    assert data["schema"] == "hotpath.run/3"
    assert data["mode"] == "in-process"
    assert np.isfinite(data["builds"]["python"]["latency_ns"]["e2e"]["mean"])
