"""``hotpath gate``: exit codes, the table and gate.md, and baselines rewritten on purpose."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import hotpath_lab.gate.det as det
from hotpath_lab.cli import main


def test_update_baseline_needs_a_reason(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gate", "--update-baseline"]) == 2
    assert "--reason" in capsys.readouterr().err


def test_no_baseline_is_could_not_measure_never_a_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(det, "BASELINES", tmp_path / "baselines")
    code = main(["gate", "--tier", "det", "--builds", "rust-native", "--out", str(tmp_path / "g")])
    assert code == 5
    assert "could not measure" in capsys.readouterr().out
    assert json.loads((tmp_path / "g" / "gate.json").read_text())["status"] == "could not measure"


@pytest.mark.slow
@pytest.mark.skipif(det.valgrind() is None, reason="valgrind not installed (.ci/system-packages)")
def test_a_baseline_rewritten_with_a_reason_then_a_canary_fails_the_gate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(det, "BASELINES", tmp_path / "baselines")
    reason = "test: a baseline of one build"
    assert main(["gate", "--update-baseline", "--builds", "rust-native", "--reason", reason]) == 0
    stored = json.loads((tmp_path / "baselines" / "det-smoke.json").read_text())
    assert stored["reason"] == reason and set(stored["builds"]) == {"rust-native"}
    out = tmp_path / "gate"
    args = ["gate", "--tier", "det", "--builds", "rust-native", "--out", str(out)]
    assert main(args) == 0
    capsys.readouterr()
    assert main([*args, "--canary", "tail"]) == 1
    printed = capsys.readouterr().out
    assert "regression" in printed and "instructions/order" in printed
    report = (out / "gate.md").read_text()
    assert "**Verdict: regression**" in report and "callgrind-diff-rust-native.txt" in report
    assert (out / "callgrind-diff-rust-native.txt").is_file()


def test_a_baseline_that_cannot_be_resolved_is_could_not_measure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "g"
    code = main(["gate", "--tier", "wall", "--against", "no-such-ref-xyz", "--out", str(out)])
    assert code == 5
    printed = capsys.readouterr().out
    assert "could not measure" in printed and "no-such-ref-xyz" in printed
    stored = json.loads((out / "gate.json").read_text())
    assert stored["status"] == "could not measure"


def test_pairs_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gate", "--tier", "wall", "--pairs", "0"]) == 2
    assert "--pairs" in capsys.readouterr().err
