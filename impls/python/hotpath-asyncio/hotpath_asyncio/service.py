"""The asyncio face of the engine: a gateway whose entry points are coroutines.

Market data and order requests reach the gateway through the event loop, as they would
from a network reader; the engine underneath stays plain synchronous code, so one event is
handled completely (all its reports emitted) before the coroutine returns.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

import numpy as np

from hotpath_asyncio.engine import Engine, EventHandler
from hotpath_asyncio.replayer import event_buffer
from hotpath_asyncio.stage_times import StageTimes
from hotpath_format import EVENT_STRUCT, ScenarioMeta

EventFields = tuple[int, int, int, int, int, int, int, int, int, int, int]
"""The eleven ``EVENT_STRUCT`` fields of one record, in record order."""


class EventHandling(Protocol):
    """What a gateway hands events to: the Python engine, or a hybrid build's front."""

    @property
    def handle(self) -> EventHandler:
        """``handle(index, *fields)``, as ``Engine.handle``."""
        ...


class OrderGateway:
    """Accepts events on the event loop and hands them to the single-writer engine."""

    __slots__ = ("_handle", "engine")

    def __init__(self, engine: EventHandling) -> None:
        self.engine = engine
        self._handle = engine.handle

    async def on_event(
        self,
        index: int,
        ts: int,
        request_id: int,
        orig_id: int,
        price: int,
        qty: int,
        instrument: int,
        account: int,
        kind: int,
        side: int,
        order_type: int,
        venue: int,
    ) -> None:
        """One input event (market data or order request), fields in record order."""
        self._handle(
            index,
            ts,
            request_id,
            orig_id,
            price,
            qty,
            instrument,
            account,
            kind,
            side,
            order_type,
            venue,
        )

    async def serve(self, inbox: asyncio.Queue[tuple[int, EventFields] | None]) -> int:
        """Handles ``(index, fields)`` items from ``inbox`` until a ``None``; returns the count.

        This is the shape of a gateway fed by a network reader task.
        """
        handled = 0
        handle = self._handle
        while True:
            item = await inbox.get()
            if item is None:
                return handled
            index, fields = item
            handle(index, *fields)
            handled += 1


async def replay_async(
    meta: ScenarioMeta, records: np.ndarray, stage_times: StageTimes | None = None
) -> Engine:
    """Drives every record through an ``OrderGateway`` from a coroutine, as fast as it goes."""
    engine = Engine(meta, stage_times)
    gateway = OrderGateway(engine)
    buf = event_buffer(records)
    on_event = gateway.on_event
    unpack_from = EVENT_STRUCT.unpack_from
    size = EVENT_STRUCT.size
    for index in range(len(records)):
        await on_event(index, *unpack_from(buf, index * size))
    return engine
