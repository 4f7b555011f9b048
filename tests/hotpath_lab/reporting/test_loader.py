"""The results → pandas loader on a real run folder."""

from pathlib import Path

import pytest

from hotpath_lab.reporting import loader
from hotpath_lab.storage import load_run

BUILDS = ["python", "rust-ffi", "rust-native"]


def test_run_frame_has_every_build_and_metric_with_its_figures(sample_run: Path) -> None:
    df = loader.run_frame(sample_run)
    run = load_run(sample_run)
    assert sorted(df["build"].unique()) == sorted(BUILDS)
    row = df[(df["build"] == "rust-ffi") & (df["metric"] == "e2e")].iloc[0]
    assert row["p99"] == run.build("rust-ffi").latency_ns.e2e.p99
    assert set(df["metric"]) >= {"e2e", "service", "validation", "risk", "execution"}


def test_interval_frame_counts_add_up_to_the_run(sample_run: Path) -> None:
    df = loader.interval_frame(sample_run, metrics=("e2e",))
    run = load_run(sample_run)
    for build in BUILDS:
        rows = df[df["build"] == build]
        assert rows["count"].sum() == run.build(build).latency_ns.e2e.count
        assert (rows["p50"] <= rows["p99"]).all() and (rows["p99"] <= rows["max"]).all()
        assert (rows["end_s"] > rows["start_s"]).all()


def test_gc_frames_list_python_collections_and_zero_for_rust(sample_run: Path) -> None:
    summary = loader.gc_summary(sample_run).set_index("build")
    run = load_run(sample_run)
    assert summary.loc["python", "collections"] == run.build("python").gc.count
    assert summary.loc["rust-ffi", "collections"] == 0
    assert summary.loc["rust-native", "collections"] == 0
    events = loader.gc_frame(sample_run)
    assert set(events["build"]) <= {"python"}
    assert len(events) == run.build("python").gc.count
    assert list(events.columns) == ["build", "generation", "start_ms", "pause_us", "collected"]


def test_cpu_frame_covers_the_timed_pass_of_every_build(sample_run: Path) -> None:
    df = loader.cpu_frame(sample_run)
    for build in BUILDS:
        rows = df[df["build"] == build]
        assert "timed" in set(rows["phase"]), build
        assert (rows["rss_bytes"] > 0).all()
        assert rows["t_ms"].is_monotonic_increasing


def test_spectrum_and_profile_frames(sample_run: Path) -> None:
    spec = loader.spectrum_frame(sample_run)
    assert set(spec["build"]) == set(BUILDS)
    assert spec.groupby(["build", "metric"])["percentile"].max().eq(1.0).all()
    prof = loader.profile_frame(sample_run)
    assert set(prof["build"]) == set(BUILDS)
    assert prof.groupby("build")["share"].sum().round(9).eq(1.0).all()


def test_load_runs_and_latest_run_find_runs_under_a_root(sample_run: Path) -> None:
    root = sample_run.parent.parent
    df = loader.load_runs(root)
    assert set(df["build"]) == set(BUILDS)
    run = load_run(sample_run)
    for row in df.to_dict("records"):
        r = run.build(row["build"])
        assert r.jitter is not None
        assert row["e2e_p99_ns"] == r.latency_ns.e2e.p99
        assert row["noise_stolen_share"] == r.jitter.stolen_share
        assert row["noise_per_s"] == r.jitter.per_second
    assert loader.latest_run(root) == sample_run
    assert loader.latest_run(root, scenario="sample") == sample_run


def test_latest_run_under_an_empty_root_says_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=str(tmp_path)):
        loader.latest_run(tmp_path)
