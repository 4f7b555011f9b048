"""An output that cannot be written is refused before any work: exit 2, one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parents[2] / "golden" / "events-v1.hpe"


def hotpath(*args: str) -> subprocess.CompletedProcess[str]:
    exe = str(Path(sys.executable).with_name("hotpath"))
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=120)


def a_file(tmp_path: Path) -> str:
    f = tmp_path / "a-file"
    f.write_text("x")
    return str(f)


@pytest.mark.parametrize(
    ("make_args", "named"),
    [
        (lambda t: ["bench", "--results-dir", a_file(t)], "--results-dir"),
        (lambda t: ["bench", "--results-dir", a_file(t) + "/below"], "--results-dir"),
        (lambda t: ["bench", "--results-dir", "/proc/hotpath-results"], "--results-dir"),
        (lambda t: ["run", "--build", "python", "--reports", str(t)], "--reports"),
        (lambda t: ["run", "--build", "python", "--reports", "/proc/r.hpr"], "--reports"),
        (lambda t: ["sweep", "--results-dir", a_file(t)], "--results-dir"),
    ],
)
def test_unwritable_outputs_are_usage_errors(tmp_path: Path, make_args, named: str) -> None:  # type: ignore[no-untyped-def]
    args = make_args(tmp_path)
    done = hotpath(*args[:1], "--scenario", str(GOLDEN), *args[1:])
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: " + named), done.stderr
    assert "Traceback" not in done.stderr


def test_scenario_build_out_unwritable(tmp_path: Path) -> None:
    done = hotpath("scenario", "build", "smoke", "--out", "/proc/smoke.hpe")
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().startswith("error: --out /proc/smoke.hpe: cannot write in /proc")
    done = hotpath("scenario", "build", "smoke", "--out", str(tmp_path))
    assert done.returncode == 2
    assert "is a folder, not a file" in done.stderr


def test_scenario_import_out_unwritable_is_refused_before_importing(tmp_path: Path) -> None:
    # an empty folder holds no captures: that error would come later, after the check
    done = hotpath("scenario", "import", "binance", str(tmp_path), "--out", "/proc/b.hpe")
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: --out /proc/b.hpe: cannot write in /proc")
    assert "importing" not in done.stdout + done.stderr
