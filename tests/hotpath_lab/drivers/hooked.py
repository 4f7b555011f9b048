"""A build with both optional hooks that writes down what the worker does to it, in order
(loaded by the worker as ``tests.hotpath_lab.drivers.hooked:HookedBuild``)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import numpy as np
import uvloop

from hotpath_format import REPORT_DTYPE, ScenarioMeta

CALLS: list[str] = []
"""``create(<stage_timing>)``, ``warmed_up``, and the loop each pass ran on."""


class HookedPipeline:
    asynchronous = True
    loop_factory: Callable[[], asyncio.AbstractEventLoop] = staticmethod(uvloop.new_event_loop)

    def __init__(self) -> None:
        self.handle = self._handle
        self._seen_loop = False

    async def _handle(self, *_: Any) -> None:
        if not self._seen_loop:
            self._seen_loop = True
            CALLS.append(f"loop:{type(asyncio.get_running_loop()).__module__.split('.')[0]}")

    def report_array(self) -> np.ndarray:
        return np.zeros(0, REPORT_DTYPE)

    def stage_times(self) -> None:
        return None


class HookedBuild:
    name = "hooked"
    description = "records the worker's calls"

    def create(
        self, meta: ScenarioMeta, n_events: int, *, stage_timing: bool, expected_orders: int = 0
    ) -> HookedPipeline:
        if n_events:  # the overhead pass's probe (n_events 0) is not a pass
            CALLS.append(f"create(stage_timing={stage_timing})")
        return HookedPipeline()

    def warmed_up(self) -> None:
        CALLS.append("warmed_up")
