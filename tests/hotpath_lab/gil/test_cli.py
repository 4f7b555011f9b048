"""``hotpath gil`` writes a complete run folder; bad options exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.hotpath_lab.plots.test_plots import assert_picture

from hotpath_format import EventFile
from hotpath_lab.cli import main
from hotpath_lab.gil.modes import MODES
from hotpath_lab.gil.results import GIL_JSON, GIL_MD, load_gil_run


def test_writes_a_complete_run_folder(
    smoke: EventFile, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["gil", "--scenario", str(smoke.path), "--max-concurrency", "2",
         "--results-dir", str(tmp_path)]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0, out
    (folder,) = (tmp_path / "smoke").iterdir()
    assert folder.name.startswith("gil-")
    assert sorted(p.name for p in folder.iterdir()) == ["gil.json", "gil.md", "gil.png", "gil.svg"]
    run = load_gil_run(folder)
    assert run.agree and run.scenario.name == "smoke"
    assert run.settings.modes == MODES and run.settings.max_concurrency == 2
    assert run.environment.git.short and run.environment.build_profile == "release"
    assert {(p.mode, p.concurrency) for p in run.points} == {
        (m, k) for m in MODES for k in run.settings.levels
    }
    assert [s.account for s in run.shards] == list(range(len(smoke.meta.accounts)))
    assert all(p.speedup == 1.0 for p in run.points if p.concurrency == 1)
    table = (folder / GIL_MD).read_text().splitlines()
    rows = [line for line in table if line.startswith("| ")]
    assert len(rows) == 1 + len(run.points)
    # every row has a cell for every column of the header
    assert {row.count("|") for row in rows} == {rows[0].count("|")}
    assert all(any(row.startswith(f"| {m} |") for row in rows) for m in MODES)
    assert json.loads((folder / GIL_JSON).read_text())["schema"] == 1
    assert_picture(folder / run.files.plot_png)
    assert (folder / run.files.plot_svg).read_text().lstrip().startswith("<?xml")
    assert "digests agree" in out and str(folder) in out


@pytest.mark.parametrize(
    "bad",
    [
        ["--max-concurrency", "0"],
        ["--max-concurrency", "two"],
        ["--modes", "python-threads,green-threads"],
        ["--modes", ","],
        ["--scale", "-1"],
    ],
)
def test_bad_options_exit_2(
    bad: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["gil", "--scenario", "smoke", "--results-dir", str(tmp_path), *bad])
    assert exc.value.code == 2
    assert "error" in capsys.readouterr().err
    assert not any(tmp_path.iterdir()), "a refused run writes nothing"


def test_a_missing_scenario_exits_3(tmp_path: Path) -> None:
    assert main(["gil", "--scenario", str(tmp_path / "none.hpe")]) == 3
