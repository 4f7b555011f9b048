"""Replay: feed a recorded event array through an engine as fast as it will go."""

from __future__ import annotations

import numpy as np

from hotpath_asyncio.engine import Engine
from hotpath_asyncio.stage_times import StageTimes
from hotpath_format import EVENT_DTYPE, EVENT_STRUCT, ScenarioMeta


def event_buffer(records: np.ndarray) -> memoryview:
    """The records' bytes, for ``EVENT_STRUCT.unpack_from`` (copies only if not contiguous)."""
    if records.dtype != EVENT_DTYPE:
        raise TypeError(f"expected event records of dtype {EVENT_DTYPE}, got {records.dtype}")
    return np.ascontiguousarray(records).data.cast("B")


def replay(
    meta: ScenarioMeta, records: np.ndarray, stage_times: StageTimes | None = None
) -> Engine:
    """Runs every record through a new engine, decoding each one as it is handled."""
    engine = Engine(meta, stage_times)
    buf = event_buffer(records)
    handle = engine.handle
    unpack_from = EVENT_STRUCT.unpack_from
    size = EVENT_STRUCT.size
    for index in range(len(records)):
        handle(index, *unpack_from(buf, index * size))
    return engine
