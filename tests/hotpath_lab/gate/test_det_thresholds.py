"""Which thresholds the deterministic tier applies: the tight ones on the baseline's machine
and toolchain, wider ones (and a note saying so) anywhere else. The counting itself is
stood in for by fixed figures here; ``test_det.py`` runs it under the real valgrind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import hotpath_lab.gate.det as det
from hotpath_lab.gate.outcome import Judgement

FIGURES = {
    "instructions/order": 1000.0,
    "instructions/md event": 200.0,
    "allocations/order": 4.0,
    "allocations/md event": 1.0,
}
TOOLCHAIN = {"git": "0" * 40, "python": "3.11.7", "rustc": "rustc 1.95.0",
             "valgrind": "valgrind-3.19.0", "cpu_model": "AMD EPYC"}  # fmt: skip


@pytest.fixture
def six_tenths_of_a_percent_slower(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A baseline of ``FIGURES`` and a candidate whose instructions per order are 0.2 %
    higher: above the same-machine threshold, below the other-machine one."""
    monkeypatch.setattr(det, "BASELINES", tmp_path / "baselines")
    monkeypatch.setattr(det, "_scenario", lambda _: ("s", tmp_path / "s.hpe"))
    doc = {"made": "now", "reason": "test", "toolchain": TOOLCHAIN,
           "builds": {"b": {"figures": FIGURES, "digest": "d", "top_functions": {}}}}  # fmt: skip
    (tmp_path / "baselines").mkdir()
    det.baseline_path("s").write_text(json.dumps(doc))
    slower = {**FIGURES, "instructions/order": 1006.0}
    monkeypatch.setattr(det, "valgrind", lambda: "/usr/bin/valgrind")
    monkeypatch.setattr(
        det, "measure_all", lambda *a, **k: [det.Figures("b", slower, "d", {"f": 1})]
    )
    return tmp_path


def judged(result: det.TierResult) -> dict[str, Judgement]:
    return {r.metric: r.judgement for r in result.rows}


def test_on_the_baselines_machine_a_small_rise_is_a_regression(
    six_tenths_of_a_percent_slower: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(det, "_toolchain", lambda: TOOLCHAIN)
    result = det.run_det_tier(None, ["b"], six_tenths_of_a_percent_slower / "out")
    assert judged(result)["instructions/order"] is Judgement.REGRESSION
    assert judged(result)["instructions/md event"] is Judgement.PASS


def test_elsewhere_the_wider_thresholds_apply_and_say_why(
    six_tenths_of_a_percent_slower: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(det, "_toolchain", lambda: {**TOOLCHAIN, "cpu_model": "Intel Xeon"})
    result = det.run_det_tier(None, ["b"], six_tenths_of_a_percent_slower / "out")
    assert set(judged(result).values()) == {Judgement.PASS}
    assert any("cpu_model AMD EPYC → Intel Xeon" in n for n in result.notes), result.notes
    row = next(r for r in result.rows if r.metric == "instructions/order")
    assert row.threshold == det.THRESHOLDS_ELSEWHERE["instructions/order"]
