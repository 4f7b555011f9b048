"""The wall-clock tier end to end, with real bench processes and this tree on both sides
(``against="."``), on the Rust build only to stay within a few minutes: the tail canary
(one order in 500 stalls ~25 µs in execution) fails it at P99.9 and not at P50; with no
canary it does not report a regression."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotpath_lab.gate.outcome import Judgement, Row, Status
from hotpath_lab.gate.wall import THIS_TREE, run_wall_tier

pytestmark = pytest.mark.slow

PAIRS = 4
"""2 pairs of smoke give ~11 values beyond P99.9 per side; the judge needs 20."""
BUILDS = ["rust-ffi"]


def regressed(rows: tuple[Row, ...]) -> set[tuple[str, str]]:
    return {(r.build, r.metric) for r in rows if r.judgement is Judgement.REGRESSION}


def test_this_tree_against_itself_is_not_a_regression(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    result = run_wall_tier(
        THIS_TREE, "smoke", BUILDS, tmp_path, pairs=PAIRS,
        progress=lambda _, done, total: seen.append((done, total)),
    )  # fmt: skip
    assert result.status is not Status.REGRESSION, regressed(result.rows)
    assert {r.metric for r in result.rows} >= {"execution P50", "execution P99.9", "e2e P99"}
    assert len(list((tmp_path / "runs").glob("*-A/*/*/run.json"))) == PAIRS
    assert len(list((tmp_path / "runs").glob("*-B/*/*/run.json"))) == PAIRS
    assert seen[-1] == (2 * PAIRS, 2 * PAIRS)


def test_the_tail_canary_fails_at_p999_not_p50(tmp_path: Path) -> None:
    result = run_wall_tier(
        THIS_TREE, "smoke", BUILDS, tmp_path, pairs=PAIRS, canary="tail",
        profile_regressions=False,
    )  # fmt: skip
    moved = regressed(result.rows)
    assert result.status is Status.REGRESSION, result.rows
    assert moved & {("rust-ffi", "execution P99.9"), ("rust-ffi", "e2e P99.9")}
    assert not {m for _, m in moved if m.endswith("P50")}
