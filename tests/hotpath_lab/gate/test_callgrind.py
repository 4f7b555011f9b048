"""The callgrind reader: totals, self cost per function, and the allocation rule."""

from collections import Counter
from pathlib import Path

import pytest

from hotpath_lab.gate.det.callgrind import CallgrindError, Profile, read_profile

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


# pymalloc reaches malloc through an unnamed PLT stub (its fallback: not counted again);
# main calls the same kind of stub on its own (its malloc call counts).
THROUGH_STUBS = """\
events: Ir
fn=(1) main
cfn=(3) _PyObject_Malloc
calls=1 0
1 50
cfn=(5) 0x00000000000a1b20
calls=1 0
2 9
fn=(3)
cfn=(4) 0x0000000000012340
calls=1 0
3 9
fn=(4)
4 1
cfn=(2) malloc
calls=1 0
4 8
fn=(5)
5 1
cfn=(2)
calls=1 0
5 8
totals: 60
"""


def test_pymalloc_fallback_through_a_plt_stub_is_not_counted_twice(tmp_path: Path) -> None:
    path = tmp_path / "cg.out"
    path.write_text(THROUGH_STUBS)
    assert read_profile(path).allocations == 2  # pymalloc once, main's own malloc once


def test_a_profile_less_another_is_the_difference_of_every_count() -> None:
    whole = Profile(100, 7, Counter({"a": 60, "b": 40}))
    fixed = Profile(30, 2, Counter({"a": 30}))
    diff = whole.minus(fixed)
    assert (diff.instructions, diff.allocations) == (70, 5)
    assert diff.self_ir == {"a": 30, "b": 40}
