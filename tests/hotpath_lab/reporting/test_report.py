"""report.md: written into every bench run folder, every link resolves, runs compared."""

import json
import re
import shutil
from pathlib import Path

import pytest

from hotpath_lab.reporting.report import write_report, write_report_safely
from hotpath_lab.storage import load_run

LINK = re.compile(r"\]\(([^)\s]+)\)")


def local_links(text: str) -> list[str]:
    return [t for t in LINK.findall(text) if not t.startswith(("http://", "https://"))]


def test_bench_writes_a_report_whose_every_link_resolves_in_the_folder(sample_run: Path) -> None:
    text = (sample_run / "report.md").read_text()
    links = local_links(text)
    assert len(links) > 20
    missing = [t for t in links if not (sample_run / t).is_file()]
    assert missing == []
    for section in (
        "## Environment",
        "## Summary",
        "## Latency over time and the garbage collector",
        "## Where the time goes",
        "### Profiles",
        "## Changes since the previous run",
    ):
        assert section in text
    assert "Report failed" not in text


def test_the_report_shows_the_runs_own_figures(sample_run: Path) -> None:
    run = load_run(sample_run)
    text = (sample_run / "report.md").read_text()
    assert run.run_id in text and run.environment.git.sha in text
    for build in run.builds:
        assert f"| **{build}** |" in text
        assert f"flame-{build}.svg" in text
    assert "No earlier run of this scenario" in text  # the first run under its root


def copy_run(src: Path, root: Path, run_id: str, created: str) -> Path:
    dst = root / "sample" / run_id
    shutil.copytree(src, dst)
    data = json.loads((dst / "run.json").read_text())
    data["run_id"], data["created_utc"] = run_id, created
    (dst / "run.json").write_text(json.dumps(data))
    return dst


def test_a_later_run_is_compared_with_the_previous_one(sample_run: Path, tmp_path: Path) -> None:
    root = tmp_path / "results"
    earlier = copy_run(sample_run, root, "20000101T000000Z-aaaaaaaaaa", "2000-01-01T00:00:00Z")
    later = copy_run(sample_run, root, "20000102T000000Z-bbbbbbbbbb", "2000-01-02T00:00:00Z")
    out = tmp_path / "out"
    out.mkdir()
    text = write_report(later, root, out_dir=out).read_text()
    assert f"Against run `{earlier.name}`" in text
    # the same data twice: no change anywhere, and no verdict either way
    assert "+0.0% [" in text and "| no clear change |" in text
    assert "| higher |" not in text and "| lower |" not in text
    assert "Not like for like" not in text
    # written elsewhere, links still reach the run folder's files and the new plots
    missing = [t for t in local_links(text) if not (out / t).resolve().is_file()]
    assert missing == []


def test_a_changed_environment_is_flagged(sample_run: Path, tmp_path: Path) -> None:
    root = tmp_path / "results"
    copy_run(sample_run, root, "20000101T000000Z-aaaaaaaaaa", "2000-01-01T00:00:00Z")
    later = copy_run(sample_run, root, "20000102T000000Z-bbbbbbbbbb", "2000-01-02T00:00:00Z")
    data = json.loads((later / "run.json").read_text())
    data["environment"]["build_profile"] = "something-else"
    (later / "run.json").write_text(json.dumps(data))
    out = tmp_path / "out"
    out.mkdir()
    text = write_report(later, root, out_dir=out).read_text()
    assert "Not like for like" in text and "extension build profile differs" in text


def test_a_failing_report_still_leaves_a_report_that_says_why(
    sample_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "results" / "sample" / "20000101T000000Z-cccccccccc"
    shutil.copytree(sample_run, broken)
    (broken / "python.hlog").write_text("not an interval log\n")
    assert write_report_safely(broken) is None
    text = (broken / "report.md").read_text()
    assert text.startswith("# Report failed") and "are not interval lines" in text
    assert "report.md could not be made" in capsys.readouterr().err
