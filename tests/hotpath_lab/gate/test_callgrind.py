"""The callgrind reader: totals, self cost per function, and the allocation rule."""

from pathlib import Path

import pytest

from hotpath_lab.gate.det.callgrind import CallgrindError, read_profile

# main calls malloc twice (2 allocations), pymalloc once, and pymalloc falls back to malloc
# once (the same request: not counted again); name compression as callgrind writes it.
SAMPLE = """\
# callgrind format
events: Ir
fn=(1) main
3 100
cfn=(2) malloc
calls=2 0
3 40
cfn=(3) _PyObject_Malloc
calls=1 0
4 70
+1 5
fn=(3)
10 30
cfn=(2)
calls=1 0
11 20
fn=(2)
20 60
totals: 235
"""


def test_totals_self_cost_and_allocations(tmp_path: Path) -> None:
    path = tmp_path / "cg.out"
    path.write_text(SAMPLE)
    p = read_profile(path)
    assert p.instructions == 235
    assert p.self_ir == {"main": 105, "_PyObject_Malloc": 30, "malloc": 60}
    assert p.allocations == 3


def test_a_file_without_totals_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "not-callgrind.txt"
    path.write_text("hello\n")
    with pytest.raises(CallgrindError, match=r"not-callgrind\.txt"):
        read_profile(path)
