"""The asyncio gateway: same reports as the plain engine, driven from coroutines."""

from __future__ import annotations

import asyncio

from tests.hotpath_asyncio.streams import random_scenario

from hotpath_asyncio import Engine, OrderGateway, StageTimes, replay, replay_async
from hotpath_asyncio.service import EventFields
from hotpath_format import EVENT_STRUCT


def test_replay_async_matches_replay() -> None:
    meta, records = random_scenario(11, 1500)
    engine = asyncio.run(replay_async(meta, records))
    assert engine.reports == replay(meta, records).reports
    timed = asyncio.run(replay_async(meta, records, StageTimes(len(records))))
    assert timed.digest() == engine.digest()


def test_gateway_serves_a_queue_until_none() -> None:
    meta, records = random_scenario(12, 500)
    buf = records.tobytes()

    async def main() -> tuple[int, Engine]:
        gateway = OrderGateway(Engine(meta))
        inbox: asyncio.Queue[tuple[int, EventFields] | None] = asyncio.Queue()
        server = asyncio.create_task(gateway.serve(inbox))
        for i in range(len(records)):
            fields: EventFields = EVENT_STRUCT.unpack_from(buf, i * EVENT_STRUCT.size)
            await inbox.put((i, fields))
        await inbox.put(None)
        return await server, gateway.engine

    handled, engine = asyncio.run(main())
    assert handled == len(records)
    assert engine.reports == replay(meta, records).reports
