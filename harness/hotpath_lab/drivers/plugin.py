"""The interface a hot-path implementation offers the harness (see docs/measurement.md).

A *build* creates *pipelines*; the Python loop driver feeds a pipeline one event at a time
and timestamps around each call. Any object with this shape can be measured next to the
built-in builds: ``hotpath bench --builds python,my_package.module:MyBuild``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

import numpy as np

from hotpath_format import ScenarioMeta


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
    """A named implementation of the hot path."""

    name: str
    description: str

    def create(
        self, meta: ScenarioMeta, n_events: int, *, stage_timing: bool, expected_orders: int = 0
    ) -> Pipeline:
        """A fresh pipeline for a scenario with ``n_events`` events, of which
        ``expected_orders`` can create orders (NEW and REPLACE): a sizing hint, as a
        production engine is sized at start-up; 0 when unknown."""
        ...


def load_build(spec: str, builtin: dict[str, Callable[[], Build]]) -> Build:
    """A built-in build by name, or a plug-in given as ``module:attribute``.

    The attribute may be a ``Build`` instance or a zero-argument callable returning one.
    """
    if spec in builtin:
        return builtin[spec]()
    if ":" not in spec:
        known = ", ".join(sorted(builtin))
        raise ValueError(f"unknown build {spec!r} (built in: {known}; plug-ins: module:attribute)")
    module_name, _, attr = spec.partition(":")
    try:
        obj: Any = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise ValueError(f"cannot load build plug-in {spec!r}: {exc}") from exc
    build = obj() if not isinstance(obj, Build) and callable(obj) else obj
    if not isinstance(build, Build):
        raise ValueError(f"build plug-in {spec!r} has no name/description/create")
    return build
