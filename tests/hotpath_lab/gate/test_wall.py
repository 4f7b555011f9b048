"""The wall-clock tier end to end, with real bench processes and this tree on both sides:
it passes with no canary, and fails on each canary in the stage and percentile the canary
moves (uniform: risk P50; tail: P99.9), with a differential flame graph of what moved."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotpath_lab.gate.outcome import Judgement, Row, Status
from hotpath_lab.gate.wall import THIS_TREE, run_wall_tier

pytestmark = pytest.mark.slow

UNIFORM_PAIRS = 8
"""The uniform canary adds ~10 % to Python's risk stage; on the 2-core machine one
process's risk P50 varies by ~8 % from the next (docs/gate-wall.md), so it takes about
eight pairs for the interval's lower bound to clear the threshold."""


def regressed(rows: tuple[Row, ...]) -> set[tuple[str, str]]:
    return {(r.build, r.metric) for r in rows if r.judgement is Judgement.REGRESSION}


def test_this_tree_against_itself_passes(tmp_path: Path) -> None:
    result = run_wall_tier(THIS_TREE, "smoke", ["python", "rust-ffi"], tmp_path, pairs=3)
    assert result.status is Status.PASS, [
        r for r in result.rows if r.judgement is not Judgement.PASS
    ]
    assert {r.metric for r in result.rows} >= {"risk P50", "execution P99.9", "e2e P99"}
    assert len(list((tmp_path / "runs").glob("*-A/*/*/run.json"))) == 3
    assert len(list((tmp_path / "runs").glob("*-B/*/*/run.json"))) == 3
    assert result.attachments == ()


def test_the_uniform_canary_fails_on_the_risk_stage(tmp_path: Path) -> None:
    result = run_wall_tier(
        THIS_TREE, "smoke", ["python"], tmp_path, pairs=UNIFORM_PAIRS, canary="uniform",
        profile_regressions=False,
    )  # fmt: skip
    assert result.status is Status.REGRESSION, result.rows
    assert ("python", "risk P50") in regressed(result.rows)
    # the stages the canary does not touch did not move
    assert not {m for b, m in regressed(result.rows) if m.startswith("validation")}


def test_the_tail_canary_fails_at_p999_not_p50_with_a_flame_graph(tmp_path: Path) -> None:
    result = run_wall_tier(THIS_TREE, "smoke", ["python"], tmp_path, pairs=2, canary="tail")
    moved = regressed(result.rows)
    assert result.status is Status.REGRESSION, result.rows
    assert ("python", "execution P99.9") in moved
    assert not {m for _, m in moved if m.endswith("P50")}
    (svg,) = result.attachments
    assert svg.name == "flame-diff-python.svg" and "canary" in svg.read_text()
