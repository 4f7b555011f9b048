"""``hotpath scenario``, ``hotpath run`` and ``hotpath shadow`` on the smoke scenario."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.golden.smoke_reports import EXCERPT, excerpt

from hotpath_format import file_digest, read_events, read_reports, report_digest
from hotpath_lab.cli import main
from hotpath_lab.drivers.builds import PythonBuild
from hotpath_lab.replay import replay


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("smoke") / "smoke.hpe"
    assert main(["scenario", "build", "smoke", "--out", str(out)]) == 0
    return out


def test_build_writes_the_same_bytes_as_the_cache(smoke: Path) -> None:
    f = read_events(smoke)
    assert f.meta.name == "smoke" and len(f.records) > 10_000
    from hotpath_lab.scenarios import cached_path

    assert file_digest(cached_path("smoke")) == file_digest(smoke)


def test_inspect_json_shows_the_burst(smoke: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenario", "inspect", str(smoke), "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["digest"] == file_digest(smoke)
    assert s["counts_by_kind"]["NEW_ORDER"] > 0 and s["counts_by_kind"]["TRADE"] > 0
    assert len(s["venues"]) == 3
    assert s["peak_to_quiet"] >= 5, "smoke has a burst: its busiest second stands out"
    assert s["peak_100ms_rate"] >= 10 * s["quiet_rate"]
    assert sum(s["rate_per_second"]) == s["events"]
    assert len(s["busy_seconds"]) == len(s["rate_per_second"]) <= s["span_seconds"]


def test_inspect_table(smoke: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenario", "inspect", str(smoke)]) == 0
    out = capsys.readouterr().out
    assert "BOOK_DELTA" in out and "busiest 100 ms" in out and "spot" in out


@pytest.mark.parametrize(
    "args",
    [
        ["scenario", "inspect", "no-such-manifest"],
        ["scenario", "build", "no-such-manifest"],
        ["scenario", "inspect", "/nonexistent/file.hpe"],
        ["run", "--scenario", "/nonexistent/file.hpe", "--build", "python"],
    ],
)
def test_missing_inputs_exit_3(args: list[str]) -> None:
    assert main(args) == 3


def test_bad_usage_exits_2() -> None:
    with pytest.raises(SystemExit) as e:
        main(["scenario", "build", "smoke", "--scale", "-1"])
    assert e.value.code == 2
    assert main(["run", "--scenario", "smoke", "--build", "cobol"]) == 2


def test_smoke_reports_match_the_committed_excerpt(smoke: Path) -> None:
    """A change of behaviour shows up in review as a diff of tests/golden/smoke-reports.txt."""
    result = replay(PythonBuild(), read_events(smoke))
    assert excerpt(result.reports) == EXCERPT.read_text()


def test_run_prints_counts_and_writes_reports(
    smoke: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.hpr"
    assert (
        main(["run", "--scenario", str(smoke), "--build", "rust-native", "--reports", str(out)])
        == 0
    )
    text = capsys.readouterr().out
    assert "RISK/MAX_OPEN_ORDERS" in text and "REPLACED" in text
    digest = EXCERPT.read_text().splitlines()[0].split()[1]
    assert f"digest {digest}" in text
    assert report_digest(read_reports(out).records) == digest
    assert main(["run", "--scenario", str(smoke), "--build", "python", "--digest"]) == 0
    assert capsys.readouterr().out.strip() == digest


def test_shadow_passes_on_smoke(smoke: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["shadow", "--scenario", str(smoke)]) == 0
    assert "identical: 5 builds" in capsys.readouterr().out


def test_shadow_catches_a_wrong_build_and_shows_where(
    smoke: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main([
        "shadow", "--scenario", str(smoke),
        "--builds", "python,tests.hotpath_lab.cli.broken_build:build",
    ])  # fmt: skip
    assert code == 1
    out = capsys.readouterr().out
    assert "diverge at report" in out
    assert "FILL" in out, "the reference's diverging report is the first FILL"
    assert ">>[" in out, "the input event that caused it is marked in the context"
