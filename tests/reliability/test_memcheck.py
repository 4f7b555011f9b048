"""Both extensions under valgrind memcheck (docs/reliability.md, "Memory checking"): every
PyO3 entry point is called on a small scenario (``memcheck_entrypoints.py``) and any error
whose stack touches our extension modules fails the test. Errors that stay inside CPython,
the dynamic loader or numpy are counted, not failed: importing numpy alone gives as many."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.reliability.memcheck import run_under_memcheck

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed"),
]

PROGRAM = Path(__file__).with_name("memcheck_entrypoints.py")
EVENTS = 400
"""Enough events for orders, fills and rejects; valgrind runs the program ~50× slower."""


def test_no_memcheck_error_touches_the_extensions(tmp_path: Path) -> None:
    run = run_under_memcheck([str(PROGRAM), str(EVENTS)], tmp_path / "memcheck.xml", timeout=900)
    assert run.returncode == 0, f"the program failed under valgrind:\n{run.stderr[-4000:]}"
    ours = run.ours
    print(
        f"memcheck: {len(run.errors)} errors ({len(ours)} through our extensions), "
        f"{run.suppressed} suppressed"
    )
    assert not ours, "memcheck errors in the extensions:\n" + "\n".join(
        e.describe() for e in ours[:20]
    )
