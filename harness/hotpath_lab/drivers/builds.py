"""The built-in builds: ``python``, ``python-tuned+...``, the hybrids, ``rust-ffi``,
``rust-native``, the ``nautilus`` peer (docs/peers.md), and the empty pipelines used to
measure each driver's own overhead."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from hotpath_format import REPORT_DTYPE, ScenarioMeta
from hotpath_lab.drivers.native import NativeBuild
from hotpath_lab.drivers.plugin import AnyBuild, Build, Pipeline
from hotpath_lab.peers.nautilus import NautilusBuild

if TYPE_CHECKING:
    from hotpath_dropcopy import DropCopyPublisher


class PythonPipeline:
    """The asyncio build: the driver awaits ``OrderGateway.on_event`` for every event.

    ``hybrid_risk``: the engine is phase 1 of the migration, the Python engine with the Rust
    risk desk (``hotpath_hybrid.RustRiskEngine``), under the same service and stamps.
    """

    asynchronous = True

    def __init__(
        self, meta: ScenarioMeta, n_events: int, stage_timing: bool, hybrid_risk: bool = False
    ) -> None:
        from hotpath_asyncio import Engine, OrderGateway, StageTimes

        self._stages = StageTimes(n_events) if stage_timing else None
        if hybrid_risk:
            from hotpath_hybrid import RustRiskEngine

            self._engine: Engine = RustRiskEngine(meta, self._stages)
        else:
            self._engine = Engine(meta, self._stages)
        self.handle: Callable[..., Any] = OrderGateway(self._engine).on_event
        self._publisher: DropCopyPublisher | None = None
        """The drop-copy's publisher while one runs (``start_drop_copy``)."""

    def report_array(self) -> np.ndarray:
        return self._engine.report_array()

    def stage_times(self) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        if self._stages is None:
            return None
        a = self._stages.as_numpy()
        return a["validated"], a["risk_checked"], a["executed"]

    def start_drop_copy(self, url: str, prefix: str, snapshot_every: int) -> None:
        """The Python publisher, reading the engine's report log (docs/dropcopy.md)."""
        from hotpath_dropcopy import DropCopyPublisher

        self._publisher = DropCopyPublisher(
            url, prefix, self._engine.report_source(), snapshot_every=snapshot_every
        )
        self._publisher.start()

    def finish_drop_copy(self) -> dict[str, Any]:
        if self._publisher is None:
            raise RuntimeError("finish_drop_copy without start_drop_copy")
        return self._publisher.finish()


class PythonBuild:
    name = "python"
    description = "Python asyncio build (impls/python/hotpath-asyncio), driven by the asyncio loop"
    publishes_drop_copy = True

    def create(
        self, meta: ScenarioMeta, n_events: int, *, stage_timing: bool, expected_orders: int = 0
    ) -> Pipeline:
        return PythonPipeline(meta, n_events, stage_timing)


class HybridRiskBuild:
    name = "hybrid-risk"
    description = (
        "migration phase 1: the Python asyncio build with pre-trade risk in Rust "
        "(hotpath_hybrid.RustRiskEngine, the Rust risk desk)"
    )
    publishes_drop_copy = True

    def create(
        self, meta: ScenarioMeta, n_events: int, *, stage_timing: bool, expected_orders: int = 0
    ) -> Pipeline:
        return PythonPipeline(meta, n_events, stage_timing, hybrid_risk=True)


class HybridRiskExecPipeline:
    """Phase 2: the asyncio service with static validation in Python, the Rust engine behind."""

    asynchronous = True

    def __init__(
        self, meta: ScenarioMeta, n_events: int, stage_timing: bool, expected_orders: int = 0
    ) -> None:
        from hotpath_asyncio import OrderGateway
        from hotpath_hybrid import PythonValidationFront

        self._front = PythonValidationFront(meta, n_events if stage_timing else 0, expected_orders)
        self.handle: Callable[..., Any] = OrderGateway(self._front).on_event

    def report_array(self) -> np.ndarray:
        return self._front.report_array()

    def stage_times(self) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        return self._front.stage_times()

    def start_drop_copy(self, url: str, prefix: str, snapshot_every: int) -> None:
        """The engine behind the front is Rust's: the Rust publisher (docs/dropcopy.md)."""
        self._front.start_drop_copy(url, prefix, snapshot_every)

    def finish_drop_copy(self) -> dict[str, Any]:
        return self._front.finish_drop_copy()


class HybridRiskExecBuild:
    name = "hybrid-risk-exec"
    description = (
        "migration phase 2: the Python asyncio service validates (static rules), the Rust "
        "engine owns the state and runs the rest (hotpath_hybrid.PythonValidationFront)"
    )
    publishes_drop_copy = True

    def create(
        self, meta: ScenarioMeta, n_events: int, *, stage_timing: bool, expected_orders: int = 0
    ) -> Pipeline:
        return HybridRiskExecPipeline(meta, n_events, stage_timing, expected_orders)


class TunedBuild:
    """``python-tuned+<switch>+…``: the Python build with the tunings of ``hotpath_tuned``
    (``docs/tuned.md``); no options is every default switch on. Its pipelines are
    ``hotpath_tuned.TunedService``s; ``warmed_up`` applies the GC switches."""

    def __init__(self, options: str | None = None) -> None:
        from hotpath_tuned import SWITCHES, Tuning, gc_policy

        self.tuning = Tuning.parse(options)
        self.name = self.tuning.build_name("python-tuned")
        self.description = "the Python asyncio build, tuned in Python: " + (
            "; ".join(SWITCHES[s] for s in SWITCHES if s in self.tuning.on) or "no switch on"
        )
        self._gc_policy = gc_policy(self.tuning)

    publishes_drop_copy = True

    def create(
        self, meta: ScenarioMeta, n_events: int, *, stage_timing: bool, expected_orders: int = 0
    ) -> Pipeline:
        from hotpath_tuned import TunedService

        return TunedService(
            meta, self.tuning, n_events=n_events, stage_timing=stage_timing,
            expected_orders=expected_orders,
        )  # fmt: skip

    def warmed_up(self) -> None:
        self._gc_policy.apply()


class RustFfiPipeline:
    """The Rust engine called once per event through PyO3 (the mid-migration shape)."""

    asynchronous = False

    def __init__(
        self, meta: ScenarioMeta, n_events: int, stage_timing: bool, expected_orders: int = 0
    ) -> None:
        import hotpath_rs

        self._engine = hotpath_rs.Engine(
            meta.to_json(), n_events if stage_timing else 0, expected_orders
        )
        self.handle: Callable[..., Any] = self._engine.on_event

    def report_array(self) -> np.ndarray:
        return self._engine.report_array()

    def start_drop_copy(self, url: str, prefix: str, snapshot_every: int) -> None:
        """The Rust publisher: the engine's reports also go to its ring (docs/dropcopy.md)."""
        self._engine.start_drop_copy(url, prefix, snapshot_every)

    def finish_drop_copy(self) -> dict[str, Any]:
        stats: dict[str, Any] = self._engine.finish_drop_copy()
        return stats

    def stage_times(self) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        stamps = self._engine.stage_times()
        if stamps is None:
            return None
        return stamps[0], stamps[1], stamps[2]


class RustFfiBuild:
    name = "rust-ffi"
    description = "Rust engine (hotpath-core) called per event through PyO3 from the asyncio loop"
    publishes_drop_copy = True

    def create(
        self, meta: ScenarioMeta, n_events: int, *, stage_timing: bool, expected_orders: int = 0
    ) -> Pipeline:
        return RustFfiPipeline(meta, n_events, stage_timing, expected_orders)


class EmptyPipeline:
    """Does nothing: what remains is the driver's own cost."""

    asynchronous = False

    def __init__(self, *_: Any) -> None:
        self.handle: Callable[..., Any] = _ignore
        self.loop_factory: Callable[[], asyncio.AbstractEventLoop] | None = None

    def report_array(self) -> np.ndarray:
        return np.zeros(0, REPORT_DTYPE)

    def stage_times(self) -> None:
        return None


class EmptyAsyncPipeline(EmptyPipeline):
    """An empty coroutine: the driver's cost when it awaits the build (as for ``python``)."""

    asynchronous = True

    def __init__(self, *_: Any) -> None:
        self.handle = _ignore_async


def _ignore(*_: int) -> None:
    return None


async def _ignore_async(*_: int) -> None:
    return None


class EmptyBuild:
    name = "empty"
    description = "a pipeline that does nothing (driver overhead)"

    def __init__(
        self,
        asynchronous: bool = False,
        loop_factory: Callable[[], asyncio.AbstractEventLoop] | None = None,
    ) -> None:
        self.asynchronous = asynchronous
        self.loop_factory = loop_factory

    def create(
        self, meta: ScenarioMeta, n_events: int, *, stage_timing: bool, expected_orders: int = 0
    ) -> Pipeline:
        pipeline = EmptyAsyncPipeline() if self.asynchronous else EmptyPipeline()
        pipeline.loop_factory = self.loop_factory
        return pipeline


BUILTIN: dict[str, Callable[..., AnyBuild]] = {
    "python": PythonBuild,
    "python-tuned": TunedBuild,
    "hybrid-risk": HybridRiskBuild,
    "hybrid-risk-exec": HybridRiskExecBuild,
    "rust-ffi": RustFfiBuild,
    "rust-native": NativeBuild,
    "nautilus": NautilusBuild,  # a peer, in .venv-peers (docs/peers.md)
    "empty": EmptyBuild,
}
DEFAULT_BUILDS = ("python", "rust-ffi", "rust-native")


def overhead_build(build: Build, meta: ScenarioMeta) -> Build:
    """The empty pipeline that stands in for ``build`` under the same driver: awaited if
    the build's pipelines are coroutines, called otherwise, on the loop they name."""
    pipeline = build.create(meta, 0, stage_timing=False)
    return EmptyBuild(pipeline.asynchronous, getattr(pipeline, "loop_factory", None))
