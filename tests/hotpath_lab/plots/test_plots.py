"""Every plot renders a non-empty PNG of the lab's fixed size, with and without data."""

import json
import shutil
from pathlib import Path

import pytest
from PIL import Image

from hotpath_lab.plots import PLOTS, render_all
from hotpath_lab.plots.breakdown import stage_contributions
from hotpath_lab.plots.spectrum import inverse_tail
from hotpath_lab.plots.style import SIZE_PX, build_colour
from hotpath_lab.reporting.run_data import RunData
from hotpath_lab.storage import METRICS
from hotpath_lab.storage.run_model import Latencies, LatencySummary


def assert_picture(path: Path) -> None:
    with Image.open(path) as img:
        assert img.format == "PNG"
        assert img.size == SIZE_PX, path.name
        grey = img.convert("L")
        lo, hi = grey.getextrema()
        assert hi - lo > 100, f"{path.name} is blank"
        # something is drawn beyond axes and labels: many distinct shades
        assert len(grey.getcolors(maxcolors=256 * 256) or []) > 20


@pytest.mark.parametrize("name", list(PLOTS))
def test_each_plot_of_a_real_run(sample_run: Path, tmp_path: Path, name: str) -> None:
    data = RunData.load(sample_run)
    fn, _title = PLOTS[name]
    assert_picture(fn(data, tmp_path / name))


def test_render_all_skips_the_profile_plot_for_runs_without_profiles(
    sample_run: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "run"
    shutil.copytree(sample_run, folder)
    run = json.loads((folder / "run.json").read_text())
    del run["profiles"]
    for r in run["builds"].values():
        r.pop("throughput", None)
    (folder / "run.json").write_text(json.dumps(run))
    for csv in folder.glob("gc-*.csv"):  # a run with no collections at all
        csv.write_text("generation,start_ms,pause_us,collected\n")
    out = render_all(RunData.load(folder), tmp_path / "plots")
    assert "profile.png" not in out
    assert set(out) == set(PLOTS) - {"profile.png"}
    for path in out.values():
        assert_picture(path)


def test_the_tail_axis_puts_each_nine_a_decade_apart() -> None:
    x = inverse_tail([0.0, 0.9, 0.99, 0.999, 1.0], [1, 10, 100, 1000, 1000])
    assert x[:4].round(6).tolist() == [1.0, 10.0, 100.0, 1000.0]
    assert x[4] == pytest.approx(2000)  # the maximum: one step beyond the last finite point


def summary(count: int, mean: float) -> LatencySummary:
    return LatencySummary(
        count=count, min=0, p50=0, p90=0, p99=0, p999=0, p9999=0, max=0, mean=mean
    )


def test_stage_means_add_up_to_the_mean_service_time() -> None:
    latency = Latencies(
        e2e=summary(10, 50.0),
        service=summary(10, 20.0),
        validation=summary(10, 5.0),
        risk=summary(5, 4.0),  # half the requests reach risk
        execution=summary(2, 10.0),
        tick_to_book=summary(0, 0.0),
    )
    parts = stage_contributions(latency)
    assert parts == {
        "queueing": 30.0,
        "validation": 5.0,
        "risk": 2.0,
        "execution": 2.0,
        "other": 11.0,
    }
    nothing = summary(0, 0.0)
    assert stage_contributions(Latencies(**dict.fromkeys(METRICS, nothing))) == {}


def test_plug_in_builds_get_stable_colours() -> None:
    assert build_colour("python") == "#3572A5"
    assert build_colour("mine:Build") == build_colour("mine:Build")
    assert build_colour("a:B", ["x", "a:B"]) != build_colour("x", ["x", "a:B"])
