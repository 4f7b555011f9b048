"""``hotpath results compare`` and ``hotpath results report`` on a real run: the comparison
engine of report.md, and the CLI's exit codes (0 done, 2 usage, 3 a run that cannot be read)."""

import json
import shutil
from pathlib import Path

import pytest

from hotpath_lab.cli import main


def test_compare_shows_intervals_and_verdicts_and_exits_zero(
    sample_run: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["results", "compare", str(sample_run), str(sample_run), "--replicates", "100"])
    out = capsys.readouterr().out
    assert code == 0
    for build in ("python", "rust-ffi", "rust-native"):
        for metric in ("e2e", "service"):
            assert sum(build in line and f" {metric} " in line for line in out.splitlines()) >= 3
    assert out.count("no clear change") == 3 * 2 * 3, "same data: no verdict either way"
    assert "+0.0% [" in out and "headline figures" in out and "orders/s" in out


def test_compare_names_what_is_not_like_for_like(
    sample_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other"
    shutil.copytree(sample_run, other)
    data = json.loads((other / "run.json").read_text())
    data["options"]["pace"] = "max"
    (other / "run.json").write_text(json.dumps(data))
    assert main(["results", "compare", str(sample_run), str(other), "--metrics", "risk"]) == 0
    captured = capsys.readouterr()
    assert "not like for like: --pace differs (recorded → max)" in captured.err
    assert " risk " in captured.out and " e2e " not in captured.out.split("headline")[0]


def test_compare_refuses_bad_usage_and_unreadable_runs(
    sample_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as usage:
        main(["results", "compare", str(sample_run), str(sample_run), "--metrics", "e2e,speed"])
    assert usage.value.code == 2
    assert "unknown metric(s) speed" in capsys.readouterr().err
    broken = tmp_path / "broken"
    shutil.copytree(sample_run, broken)
    data = json.loads((broken / "run.json").read_text())
    del data["builds"]["python"]["latency_ns"]["e2e"]["p99"]
    (broken / "run.json").write_text(json.dumps(data))
    assert main(["results", "compare", str(sample_run), str(broken)]) == 3
    assert "builds.python.latency_ns.e2e.p99: missing" in capsys.readouterr().err
    damaged = tmp_path / "damaged"
    shutil.copytree(sample_run, damaged)
    (damaged / "rust-ffi.hlog").write_text("not an interval log\n")
    assert main(["results", "compare", str(sample_run), str(damaged)]) == 3
    assert "rust-ffi.hlog" in capsys.readouterr().err


def test_report_renders_an_existing_run_elsewhere(
    sample_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["results", "report", str(sample_run), "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out / "report.md")
    text = (out / "report.md").read_text()
    assert text.startswith("# sample — run ")
    assert (out / "plots" / "spectrum.png").is_file()
    assert main(["results", "report", str(tmp_path / "nothing-here")]) == 3
