"""Running a Python program under valgrind memcheck and sorting its errors: those whose
stack passes through one of our extension modules, and the rest (CPython's, the loader's,
numpy's), which the lab cannot fix and only counts."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

SUPPRESSIONS = (
    Path(__file__).with_name("cpython.supp"),
    Path(__file__).with_name("dependencies.supp"),
)
OUR_OBJECTS = ("hotpath_rs/_native", "hotpath_toolkit/_native")
"""Path fragments of the extension modules built from this repository's crates."""


@dataclass(frozen=True)
class MemcheckError:
    kind: str
    what: str
    objects: tuple[str, ...]
    """The shared object of each frame of the error's stack, innermost first."""
    functions: tuple[str, ...]
    """The function of each frame (``?`` where valgrind had no symbol)."""

    @property
    def ours(self) -> bool:
        return any(frag in obj for obj in self.objects for frag in OUR_OBJECTS)

    def describe(self) -> str:
        frames = (
            f"{fn[:90]} ({obj.rsplit('/', 1)[-1]})"
            for fn, obj in zip(self.functions, self.objects, strict=True)
        )
        return f"{self.kind}: {self.what}\n    " + "\n    ".join(frames)


@dataclass(frozen=True)
class MemcheckRun:
    returncode: int
    errors: tuple[MemcheckError, ...]
    """Each distinct error (valgrind's "contexts") once."""
    occurrences: int
    """How many times they happened in all (valgrind's "N errors from M contexts")."""
    suppressed: int
    """Occurrences the suppression files hid."""
    stderr: str

    @property
    def ours(self) -> tuple[MemcheckError, ...]:
        return tuple(e for e in self.errors if e.ours)


def run_under_memcheck(args: list[str], xml_file: Path, *, timeout: float) -> MemcheckRun:
    """``python args…`` under memcheck with the CPython suppressions; CPython's own
    allocator is switched off (``PYTHONMALLOC=malloc``) so every block is valgrind's."""
    env = {**os.environ, "PYTHONMALLOC": "malloc"}
    cmd = [
        "valgrind", "--tool=memcheck", "--num-callers=50", "--track-origins=no",
        # the interpreter frees little at exit by design: only definite leaks are errors
        "--leak-check=full", "--show-leak-kinds=definite", "--errors-for-leak-kinds=definite",
        *(f"--suppressions={s}" for s in SUPPRESSIONS), "--xml=yes", f"--xml-file={xml_file}",
        sys.executable, *args,
    ]  # fmt: skip
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    return parse(xml_file, proc.returncode, proc.stderr)


def parse(xml_file: Path, returncode: int, stderr: str) -> MemcheckRun:
    root = ET.parse(xml_file).getroot()
    errors = []
    for err in root.iter("error"):
        kind = err.findtext("kind", "")
        what = err.findtext("what") or err.findtext("xwhat/text") or ""
        stack = err.find("stack")
        frames = stack.findall("frame") if stack is not None else []
        objects = tuple(f.findtext("obj", "?") for f in frames)
        functions = tuple(f.findtext("fn", "?") for f in frames)
        errors.append(MemcheckError(kind, what, objects, functions))
    return MemcheckRun(
        returncode, tuple(errors), _count(root, "errorcounts"), _count(root, "suppcounts"), stderr
    )


def _count(root: ET.Element, section: str) -> int:
    return sum(int(p.findtext("count", "0")) for s in root.iter(section) for p in s.iter("pair"))
