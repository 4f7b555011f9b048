"""Sampled call stacks: parsing py-spy's collapsed output, naming and classifying frames.

py-spy (``--format raw``) writes one line per distinct stack, root first, frames separated
by ``;`` and the sample count last. Python frames look like ``func (pkg/file.py:12)``,
native ones like ``hotpath_core::engine::Engine::on_event::h0123456789abcdef (mod.rs:80)``
(legacy Rust mangling, only half decoded). This module turns that into ``Stack`` values
with readable frame names and a *category* per frame, so a profile can say how much of the
time went to the engine, to the FFI layer, to the driver or to the interpreter.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

REPLAY_FRAME = "measured_replay"
"""The profile target's function that runs one replay: stacks are cut just below it."""

NATIVE_ONLY = "[native code, no Python stack]"
"""Root given to samples whose Python frames py-spy could not link (e.g. a GC pass)."""


class Category(StrEnum):
    """Who a frame belongs to; the flame graph colours frames by it."""

    ENGINE_PYTHON = "engine (Python)"
    ENGINE_RUST = "engine (Rust)"
    BINDINGS = "FFI / bindings"
    HARNESS = "driver (harness)"
    GC = "garbage collector"
    RUNTIME = "interpreter / runtime"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Frame:
    name: str
    """Function name; Rust paths demangled and without the hash suffix."""
    file: str
    """``pkg/module.py`` or ``book.rs`` or a library name; empty when unknown."""
    category: Category

    @property
    def label(self) -> str:
        return f"{self.name} ({self.file})" if self.file else self.name


@dataclass(frozen=True, slots=True)
class Stack:
    frames: tuple[Frame, ...]
    """Root first."""
    count: int


class StackFormatError(ValueError):
    """A line of collapsed-stack text that does not end in a sample count."""


_FRAME = re.compile(r"^(?P<name>.*?)(?: \((?P<loc>[^()]*)\))?$")
_RUST_HASH = re.compile(r"::h[0-9a-f]{16}$")
_RUST_ESCAPES = {
    "$LT$": "<",
    "$GT$": ">",
    "$LP$": "(",
    "$RP$": ")",
    "$C$": ",",
    "$SP$": "@",
    "$BP$": "*",
    "$RF$": "&",
    "$u20$": " ",
    "$u27$": "'",
    "$u5b$": "[",
    "$u5d$": "]",
    "$u7b$": "{",
    "$u7d$": "}",
    "$u7e$": "~",
}
_RUST_ESCAPE = re.compile("|".join(re.escape(k) for k in _RUST_ESCAPES))
_GC_NATIVE = ("gc_collect", "collect_with_callback", "_PyObject_GC_", "gc_collect_main")
# The Python-facing layer of both extensions: the rust-ffi build's (``hotpath_rs``, Rust lib
# ``_native``) and the toolkit's (``hotpath_toolkit``), whose ``native_run`` is where the
# rust-native build crosses from Python into its Rust loop. Their loops and engines are
# classified by their own crates (``hotpath_bench::``, ``hotpath_core::``).
_BINDINGS_RUST = (
    "_native::",
    "hotpath_python::",
    "hotpath_toolkit::",
    "<hotpath_toolkit::",
    "pyo3::",
    "<pyo3::",
    "numpy::",
)
_BINDINGS_PYTHON = ("hotpath_rs/", "hotpath_toolkit/")
_ENGINE_PYTHON = ("hotpath_asyncio/", "hotpath_hybrid/", "hotpath_tuned/")
"""The Python build, the hybrid builds' Python side (their modules: ``desk_parts``,
``risk_engine``, ``front``) and the tuned build's parts (``engine``, ``packed_reports``)."""
# The core's timing helpers (the clock, the stage-stamp probe, pre-faulted buffers) live in
# ``hotpath_core`` because the rust-ffi build needs them, but they measure, they are not the
# engine: called by the native loop they are the driver's. Called from inside the engine (a
# stage stamp) the sample still goes to the engine module around it (``attribution``).
_MEASURING_CORE = tuple(
    f"{lead}hotpath_core::{module}::"
    for module in ("clock", "stamps", "resident")
    for lead in ("", "<")
)
_RUNTIME_FILES = ("<frozen", "asyncio/", "runpy.py", "threading.py", "selectors.py")


def demangle_rust(name: str) -> str:
    """``_$LT$impl$u20$hotpath_core..engine..Engine$GT$::rest::h12..`` → readable path."""
    name = _RUST_HASH.sub("", name)
    if "$" not in name and ".." not in name:
        return name
    # a path segment that would start with an escape gets a ``_`` in front: drop it
    name = "::".join(seg[1:] if seg.startswith("_$") else seg for seg in name.split("::"))
    name = _RUST_ESCAPE.sub(lambda m: _RUST_ESCAPES[m.group(0)], name)
    return name.replace("..", "::")


def parse_frame(text: str) -> Frame:
    m = _FRAME.match(text)
    name, loc = (m.group("name"), m.group("loc") or "") if m else (text, "")
    file = loc.rsplit(":", 1)[0] if re.search(r":\d+$", loc) else loc
    if "::" in name or "$" in name:
        name = demangle_rust(name)
    return Frame(name, file, classify(name, file))


def classify(name: str, file: str) -> Category:
    if any(file.startswith(p) or f"/{p}" in file for p in _ENGINE_PYTHON):
        return Category.ENGINE_PYTHON
    if name.startswith(_MEASURING_CORE):
        return Category.HARNESS
    if name.startswith(("hotpath_core::", "<hotpath_core::")) or "hotpath_core::engine" in name:
        return Category.ENGINE_RUST
    if name.startswith(_BINDINGS_RUST) or any(
        file.startswith(p) or f"/{p}" in file for p in _BINDINGS_PYTHON
    ):
        return Category.BINDINGS
    if name.startswith(_GC_NATIVE):
        return Category.GC
    if (
        file.startswith("hotpath_lab/")
        or "/hotpath_lab/" in file
        or name.startswith(("hotpath_bench::", "<hotpath_bench::"))
    ):
        return Category.HARNESS
    if (
        file.startswith(_RUNTIME_FILES)
        or file.endswith((".c", ".h"))
        or file.startswith(("libpython", "libc.so", "ld-linux", "[vdso]"))
        or name.startswith("0x")
    ):
        return Category.RUNTIME
    return Category.OTHER


def parse_collapsed(text: str, *, source: str = "<profile>") -> list[Stack]:
    """Every ``frame;frame;... count`` line of ``text`` (blank lines are skipped)."""
    stacks = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        head, sep, count = line.rpartition(" ")
        if not sep or not count.isdigit():
            raise StackFormatError(f"{source}:{number}: no sample count at the end: {line[:80]!r}")
        parsed = (parse_frame(f) for f in head.split(";") if f)
        frames = tuple(f for f in parsed if not is_unwind_garbage(f))
        stacks.append(Stack(frames, int(count)))
    return stacks


def is_unwind_garbage(frame: Frame) -> bool:
    """``0x3 (?)``: an address in no mapped module, left by unwinding optimised code
    without frame pointers. Unsymbolised addresses *in* a library (``0x7f.. (libc.so.6)``)
    are real frames and stay."""
    return frame.file == "?" and frame.name.startswith("0x")


@dataclass(frozen=True)
class FocusedStacks:
    """The replay part of a profile, and how much was left out."""

    stacks: list[Stack]
    outside_samples: int
    """Samples outside the replays: interpreter start-up, imports, reading the scenario,
    creating and collecting engines between replays."""
    native_only_samples: int

    @property
    def samples(self) -> int:
        return sum(s.count for s in self.stacks)


def focus_on_replays(stacks: Iterable[Stack], root: str = REPLAY_FRAME) -> FocusedStacks:
    """Keeps what ran inside ``root`` (cut just below it), merging identical stacks.

    Samples with no Python frame at all are kept under ``NATIVE_ONLY``: py-spy sometimes
    cannot link native frames (a collection started from C, a thread being created) to
    the Python stack, and dropping them would hide exactly the garbage collector.
    """
    merged: Counter[tuple[Frame, ...]] = Counter()
    outside = native_only = 0
    for s in stacks:
        cut = next((i for i, f in enumerate(s.frames) if f.name == root), None)
        if cut is not None:
            merged[s.frames[cut + 1 :]] += s.count
        elif any(_is_python(f) for f in s.frames):
            outside += s.count
        else:
            native_only += s.count
            kept = tuple(f for f in s.frames if not f.name.startswith("0x"))
            merged[(Frame(NATIVE_ONLY, "", Category.RUNTIME), *kept)] += s.count
    return FocusedStacks([Stack(frames, n) for frames, n in merged.items()], outside, native_only)


def _is_python(frame: Frame) -> bool:
    return frame.file.endswith(".py") or frame.file.startswith("<frozen")


def to_collapsed(stacks: Iterable[Stack]) -> str:
    """Collapsed-stack text again (readable names), for other flame-graph tools and diffs."""
    lines = sorted(";".join(f.label for f in s.frames) + f" {s.count}" for s in stacks)
    return "\n".join(lines) + ("\n" if lines else "")


def iter_leaves(stacks: Iterable[Stack]) -> Iterator[tuple[Frame, int]]:
    for s in stacks:
        if s.frames:
            yield s.frames[-1], s.count
