"""The interface a hot-path implementation offers the harness (see docs/measurement.md).

A *build* creates *pipelines*; the Python loop driver feeds a pipeline one event at a time
and timestamps around each call. Any object with this shape can be measured next to the
built-in builds: ``hotpath bench --builds python,my_package.module:MyBuild``.

A build may instead *drive itself* (``SelfDrivenBuild``): it runs the replay loop, pacing
and stamps included, outside the Python driver (``rust-native``). The harness chooses the
driver by that capability, never by a build's name.

Two optional hooks, for builds that tune their process (``python-tuned``); a build without
them is driven exactly as before:

- a pipeline's ``loop_factory`` (``Callable[[], asyncio.AbstractEventLoop] | None``): the
  event loop the Python driver runs its pass on (uvloop's), instead of asyncio's default;
- a build's ``warmed_up()``: called by the worker once, after the warm-up pass and before
  the timed pass (``gc.freeze()``, GC thresholds: a process policy that should start once
  the warm-up's work is done).

Two optional attributes, for *peers* (another project's order path, docs/peers.md):

- a build's ``shadow_equal = False``: its report stream is its own outcomes translated, not
  our contract's; it is left out of the run's digest check, and its worker also records
  the submit path (validated → risked stamps) and submit → accepted (validated → executed,
  accepted orders) in ``run.json``'s ``peer`` section;
- a build's ``interpreter`` (a path, or ``None``): the Python its workers run on, when its
  packages conflict with the lab's lock and live in a venv of their own.

A build that can publish a drop-copy (execution reports and positions to Redis Streams, off
its hot path; docs/dropcopy.md) says so with ``publishes_drop_copy = True``; then its
pipelines have ``start_drop_copy(url, prefix, snapshot_every)`` and ``finish_drop_copy() ->
dict`` (the publisher's figures, once every report is out), or, for a self-driven build,
``drive`` takes ``drop_copy=(url, prefix, snapshot_every)`` and returns the figures in
``PassTimes.drop_copy``. The worker attaches it to the timed pass only.

A built-in build may take options, each after a ``+`` (``python-tuned+freeze+uvloop``): its
factory is then called with the text after the first ``+`` (``freeze+uvloop``). ``+``, not
brackets or commas: ``--builds`` lists are split on commas, and a build's name (which should
say its options) is printed through rich, which takes ``[…]`` for markup.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np

from hotpath_format import ScenarioMeta
from hotpath_lab.pacing import Pace

ProgressFn = Callable[[int, int], None]
"""``progress(done, total)`` in events."""

DropCopyTarget = tuple[str, str, int]
"""``(redis url, key prefix, snapshot_every)`` of a pass that publishes a drop-copy."""


class BuildSpecError(ValueError):
    """A ``--builds`` entry that names no usable build (CLI exit code 2)."""


class BuildFailed(RuntimeError):
    """A build raised while it was being created or driven (CLI exit code 4)."""


@runtime_checkable
class Pipeline(Protocol):
    """One instance of the hot path, holding its state for one pass over a scenario."""

    asynchronous: bool
    """True if ``handle`` is a coroutine function (awaited by the driver's asyncio loop)."""

    handle: Callable[..., Any]
    """``handle(index, ts, id, orig_id, price, qty, instrument, account, kind, side,
    order_type, venue)`` — the event record's fields in ``EVENT_STRUCT`` order. Returns
    when every report caused by the event has been produced."""

    def report_array(self) -> np.ndarray:
        """Every report so far as a ``REPORT_DTYPE`` array (seq from 1)."""
        ...

    def stage_times(self) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """Per-event end-of-stage stamps (validation, risk, execution) in
        ``time.perf_counter_ns`` units, 0 where a stage did not run; ``None`` if the
        pipeline was created without stage timing or cannot provide it."""
        ...


@runtime_checkable
class Build(Protocol):
    """A named implementation of the hot path, fed event by event by the Python driver."""

    name: str
    description: str

    def create(
        self, meta: ScenarioMeta, n_events: int, *, stage_timing: bool, expected_orders: int = 0
    ) -> Pipeline:
        """A fresh pipeline for a scenario with ``n_events`` events, of which
        ``expected_orders`` can create orders (NEW and REPLACE): a sizing hint, as a
        production engine is sized at start-up; 0 when unknown."""
        ...


@dataclass
class PassTimes:
    """Raw stamps of one pass (absolute ``CLOCK_MONOTONIC`` ns, as ``perf_counter_ns``)."""

    t0: int
    intended: np.ndarray
    start: np.ndarray
    end: np.ndarray
    validated: np.ndarray
    risked: np.ndarray
    executed: np.ndarray
    spin_ns: int = 0
    """Wall time the driver spent busy-polling for events to fall due (its own, not the
    build's)."""
    spin_lost_ns: int = 0
    """Of ``spin_ns``, the time the polling thread was not running (gaps between two of its
    clock reads): wall time that cost no CPU."""
    drop_copy: dict[str, Any] | None = None
    """The drop-copy publisher's figures, when the pass published one (docs/dropcopy.md)."""

    @property
    def nbytes(self) -> int:
        return sum(
            a.nbytes
            for a in (
                self.intended,
                self.start,
                self.end,
                self.validated,
                self.risked,
                self.executed,
            )
        )


@runtime_checkable
class SelfDrivenBuild(Protocol):
    """A build that runs its own replay loop: pacing, stamps and all (``rust-native``)."""

    name: str
    description: str

    def drive(
        self,
        meta: ScenarioMeta,
        records: np.ndarray,
        pace: Pace,
        *,
        stage_timing: bool,
        limit: int | None = None,
        empty: bool = False,
        progress: ProgressFn | None = None,
        drop_copy: DropCopyTarget | None = None,
    ) -> tuple[PassTimes, np.ndarray]:
        """One pass over ``records[:limit]`` under ``pace`` through a fresh engine (or an
        empty pipeline, to measure the loop's own overhead): the stamps and the reports;
        with ``drop_copy``, publishing them as it goes (when ``publishes_drop_copy``)."""
        ...

    def replay(self, meta: ScenarioMeta, records: np.ndarray) -> np.ndarray:
        """Every record through a fresh engine as fast as possible; the reports."""
        ...

    def retain(self, meta: ScenarioMeta, records: np.ndarray) -> tuple[object, int]:
        """A fresh engine after replaying every record, kept alive (for the engine-memory
        pass), and its report count."""
        ...


AnyBuild = Build | SelfDrivenBuild


def is_build(obj: object) -> bool:
    """Whether ``obj`` is a build instance (not a class that happens to have the attributes)."""
    return not inspect.isclass(obj) and isinstance(obj, Build | SelfDrivenBuild)


def load_build(spec: str, builtin: dict[str, Callable[..., AnyBuild]]) -> AnyBuild:
    """A built-in build by name (``name+options``: its factory called with the options), or
    a plug-in given as ``module:attribute``.

    The attribute may be a build class (instantiated with no arguments), a build instance,
    or a zero-argument factory returning one. Raises ``BuildSpecError`` naming the spec.
    """
    if spec in builtin:
        return builtin[spec]()
    name, plus, options = spec.partition("+")
    if plus and name in builtin:
        try:
            return builtin[name](options)
        except (TypeError, ValueError) as exc:
            raise BuildSpecError(f"build {spec!r}: options {options!r}: {exc}") from exc
    if ":" not in spec:
        known = ", ".join(sorted(builtin))
        raise BuildSpecError(
            f"unknown build {spec!r} (built in: {known}; plug-ins: module:attribute)"
        )
    module_name, _, attr = spec.partition(":")
    try:
        obj: Any = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise BuildSpecError(f"cannot load build plug-in {spec!r}: {exc}") from exc
    if not is_build(obj) and callable(obj):
        try:
            obj = obj()
        except Exception as exc:
            raise BuildSpecError(f"build plug-in {spec!r}: calling it failed: {exc!r}") from exc
    if not is_build(obj):
        raise BuildSpecError(
            f"build plug-in {spec!r} is not a build: it needs name, description and "
            "create() (or drive(), replay() and retain() for a self-driven build)"
        )
    if not isinstance(obj.name, str) or not obj.name:
        raise BuildSpecError(f"build plug-in {spec!r} has no name")
    built: AnyBuild = obj
    return built


def load_builds(
    specs: list[str], builtin: dict[str, Callable[..., AnyBuild]]
) -> dict[str, AnyBuild]:
    """Every build of a ``--builds`` list, keyed by its ``name`` (the one identity a build
    has in run folders, tables and digests). Two specs giving one name are refused."""
    if not specs:
        raise BuildSpecError("no builds selected")
    builds: dict[str, AnyBuild] = {}
    for spec in specs:
        build = load_build(spec, builtin)
        if build.name in builds:
            raise BuildSpecError(f"build {build.name!r} listed twice (from {spec!r})")
        builds[build.name] = build
    return builds
