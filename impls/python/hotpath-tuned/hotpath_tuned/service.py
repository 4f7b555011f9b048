"""The tuned build as the harness drives it: the engine, how it is called, on which loop.

``TunedService`` has the shape of the lab's pipeline interface (``asynchronous``,
``handle``, ``report_array``, ``stage_times``, ``loop_factory``) without importing the lab;
``gc_policy`` is what the build applies once its warm-up is over.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from hotpath_asyncio import OrderGateway, StageTimes
from hotpath_format import ScenarioMeta
from hotpath_tuned.engine import CollectingEngine, TunedEngine
from hotpath_tuned.gc_policy import COLLECT_EVERY, GcPolicy
from hotpath_tuned.switches import Tuning

if TYPE_CHECKING:
    from hotpath_dropcopy import DropCopyPublisher


def gc_policy(tuning: Tuning) -> GcPolicy:
    """The collector policy of ``tuning``'s GC switches."""
    return GcPolicy(
        freeze="freeze" in tuning, thresholds="thresholds" in tuning, off="gc-off" in tuning
    )


def loop_factory(tuning: Tuning) -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's loop under ``uvloop``, else ``None`` (asyncio's default loop)."""
    if "uvloop" not in tuning:
        return None
    import uvloop

    factory: Callable[[], asyncio.AbstractEventLoop] = uvloop.new_event_loop
    return factory


class TunedService:
    """One tuned engine for one pass, and how the driver calls it."""

    def __init__(
        self,
        meta: ScenarioMeta,
        tuning: Tuning,
        *,
        n_events: int,
        stage_timing: bool = False,
        expected_orders: int = 0,
        collect_every: int = COLLECT_EVERY,
    ) -> None:
        self.tuning = tuning
        self._stages = StageTimes(n_events) if stage_timing else None
        packed = "packed-reports" in tuning
        self.engine: TunedEngine
        if "gc-off" in tuning:
            self.engine = CollectingEngine(
                meta, self._stages, n_events=n_events, every=collect_every,
                packed_reports=packed, expected_orders=expected_orders,
            )  # fmt: skip
        else:
            self.engine = TunedEngine(
                meta, self._stages, packed_reports=packed, expected_orders=expected_orders
            )
        self.asynchronous = "direct" not in tuning
        """``direct``: the driver calls the engine; else it awaits the asyncio gateway's
        coroutine, as for the Python build."""
        self.handle: Callable[..., Any] = (
            self.engine.handle if "direct" in tuning else OrderGateway(self.engine).on_event
        )
        self.loop_factory = loop_factory(tuning)
        self._publisher: DropCopyPublisher | None = None
        """The drop-copy's publisher while one runs (``start_drop_copy``)."""

    def report_array(self) -> np.ndarray:
        return self.engine.report_array()

    def start_drop_copy(self, url: str, prefix: str, snapshot_every: int) -> None:
        """Publishes the engine's reports to Redis from a thread (docs/dropcopy.md)."""
        from hotpath_dropcopy import DropCopyPublisher

        self._publisher = DropCopyPublisher(
            url, prefix, self.engine.report_source(), snapshot_every=snapshot_every
        )
        self._publisher.start()

    def finish_drop_copy(self) -> dict[str, int | float | str | None]:
        if self._publisher is None:
            raise RuntimeError("finish_drop_copy without start_drop_copy")
        return self._publisher.finish()

    def stage_times(self) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        if self._stages is None:
            return None
        a = self._stages.as_numpy()
        return a["validated"], a["risk_checked"], a["executed"]
