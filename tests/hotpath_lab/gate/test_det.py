"""The deterministic tier, with the real valgrind, against the committed baseline: it passes
on this tree, and fails on each canary with a function-level diff of what moved."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotpath_lab.gate.det import run_det_tier, valgrind
from hotpath_lab.gate.outcome import Judgement, Status

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(valgrind() is None, reason="valgrind not installed (.ci/system-packages)"),
]


def regressed(rows: object) -> set[tuple[str, str]]:
    return {(r.build, r.metric) for r in rows if r.judgement is Judgement.REGRESSION}  # type: ignore[attr-defined]


def test_this_tree_passes_against_its_baseline(tmp_path: Path) -> None:
    result = run_det_tier(None, ["rust-native"], tmp_path)
    assert result.status is Status.PASS, result
    assert {r.metric for r in result.rows} == {
        "instructions/order", "instructions/md event", "allocations/order",
        "allocations/md event",
    }  # fmt: skip
    assert all(abs(r.change) < r.threshold for r in result.rows), result.rows
    assert result.attachments == ()


@pytest.mark.parametrize(
    ("canary", "build"),
    [("uniform", "rust-native"), ("tail", "rust-native"), ("tail", "python")],
)
def test_each_canary_is_a_regression_with_a_diff(canary: str, build: str, tmp_path: Path) -> None:
    result = run_det_tier(None, [build], tmp_path, canary=canary)
    assert result.status is Status.REGRESSION, result
    assert (build, "instructions/order") in regressed(result.rows)
    assert not any(m.endswith("md event") for _, m in regressed(result.rows)), (
        "canaries act on order requests only"
    )
    (diff,) = result.attachments
    first = diff.read_text().splitlines()[4]  # the function that moved most
    assert first.split()[0].startswith("+"), first
    if build.startswith("rust"):
        assert "canary::burn" in first, "the diff names the canary's function"
