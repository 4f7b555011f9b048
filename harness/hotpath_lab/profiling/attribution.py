"""Where the time goes: a profile's samples charged to engine modules, FFI, driver, GC.

A sample is charged to one *owner*, looked up from the leaf towards the root:

1. a garbage-collector frame anywhere in the stack → ``garbage collector`` (a collection
   runs inside whichever allocation triggered it; the pause is the collector's, not the
   allocating function's);
2. else the innermost engine frame (``hotpath_asyncio``, ``hotpath_hybrid`` or
   ``hotpath_core``) → that engine
   module (``book``, ``risk``, ...), so a dict lookup or a ``Vec`` method called by the risk
   check counts as risk;
3. else the innermost FFI frame (PyO3, rust-numpy, ``hotpath_rs``, ``hotpath_toolkit``) →
   ``FFI / bindings``, except for a Python wrapper of either extension with frames below it:
   with a frame of the native loop among them (``hotpath_bench``, the core's clock) →
   ``driver (harness)``; with only libc or Rust std frames py-spy lost the Rust frames in
   between → ``native, caller not resolved``;
4. else the innermost harness frame → ``driver (harness)``;
5. else the interpreter or runtime (the asyncio loop, ``struct``, libc).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from hotpath_lab.profiling.stacks import Category, Frame, Stack

ENGINE = (Category.ENGINE_PYTHON, Category.ENGINE_RUST)


@dataclass(frozen=True, slots=True)
class Owner:
    group: str
    """``engine``, ``FFI / bindings``, ``driver (harness)``, ``garbage collector``, ..."""
    module: str
    """The engine module for engine samples (``risk``), else the group again."""


def engine_module(frame: Frame) -> str:
    """The engine module of a frame: ``hotpath_asyncio/risk.py`` → ``risk``,
    ``hotpath_core::engine::book::Books::set_level`` → ``book``."""
    if frame.category is Category.ENGINE_PYTHON:
        return PurePosixPath(frame.file).stem
    name = frame.name
    # ``<Vec<Report> as hotpath_core::engine::sink::ReportSink>::emit``: the engine path
    # may sit anywhere; the engine's own modules win over types named in generics
    at = name.find("hotpath_core::engine::")
    at = name.find("hotpath_core::") if at < 0 else at
    path = re.split(r"[<> ,]", name[max(at, 0) :], maxsplit=1)[0].split("::")[1:]
    modules: list[str] = []
    for i, seg in enumerate(path):
        if not seg or not seg[0].islower():
            break  # a type (or an ``<impl ..>`` block): the modules end here
        if i == len(path) - 1:
            break  # the last plain segment is the function itself
        modules.append(seg)
    if modules[:1] == ["engine"]:
        return modules[1] if len(modules) > 1 else "engine"
    if modules:
        return modules[0]
    stem = PurePosixPath(frame.file).stem
    return stem if stem and stem not in ("mod", "lib") else "engine"


UNRESOLVED = "native, caller not resolved"


def owner_of(stack: Stack) -> Owner:
    frames = stack.frames
    if any(f.category is Category.GC for f in frames):
        return Owner(Category.GC.value, Category.GC.value)
    for wanted in (ENGINE, (Category.BINDINGS,), (Category.HARNESS,)):
        for depth in range(len(frames) - 1, -1, -1):
            f = frames[depth]
            if f.category not in wanted:
                continue
            if f.category in ENGINE:
                return Owner("engine", engine_module(f))
            if f.category is Category.BINDINGS and _is_python(f) and depth < len(frames) - 1:
                # ``hotpath_toolkit.native_run`` with frames below it: the native loop's if
                # one of them is (the driver's own Rust code); with only libc / std frames
                # py-spy lost the Rust frames in between, so the owner is unknown, not "FFI"
                if any(b.category is Category.HARNESS for b in frames[depth + 1 :]):
                    return Owner(Category.HARNESS.value, Category.HARNESS.value)
                return Owner(UNRESOLVED, UNRESOLVED)
            return Owner(f.category.value, f.category.value)
    return Owner(Category.RUNTIME.value, Category.RUNTIME.value)


def _is_python(frame: Frame) -> bool:
    return frame.file.endswith(".py")


@dataclass(frozen=True)
class Attribution:
    samples: int
    by_owner: dict[str, int]
    """``engine: risk`` style keys for engine modules, group names otherwise."""
    self_time: list[tuple[str, str, int]]
    """(function label, category, samples) of the leaf frames, most samples first."""

    def share(self, key: str) -> float:
        return self.by_owner.get(key, 0) / self.samples if self.samples else 0.0

    @property
    def engine_share(self) -> float:
        engine = sum(n for k, n in self.by_owner.items() if k.startswith("engine: "))
        return engine / self.samples if self.samples else 0.0

    def to_json(self, top: int = 15) -> dict[str, Any]:
        return {
            "samples": self.samples,
            "engine_share": self.engine_share,
            "by_owner": dict(sorted(self.by_owner.items(), key=lambda kv: -kv[1])),
            "top_self": [
                {"function": name, "category": cat, "samples": n, "share": n / self.samples}
                for name, cat, n in self.self_time[:top]
            ],
        }


def attribute(stacks: Iterable[Stack]) -> Attribution:
    owners: Counter[str] = Counter()
    leaves: Counter[tuple[str, str]] = Counter()
    total = 0
    for s in stacks:
        total += s.count
        o = owner_of(s)
        owners[f"engine: {o.module}" if o.group == "engine" else o.group] += s.count
        if s.frames:
            leaf = s.frames[-1]
            leaves[(leaf.label, leaf.category.value)] += s.count
    self_time = [(label, cat, n) for (label, cat), n in leaves.most_common()]
    return Attribution(total, dict(owners), self_time)
