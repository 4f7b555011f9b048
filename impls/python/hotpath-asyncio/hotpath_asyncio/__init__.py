"""The Python asyncio build of the order hot path (see ``docs/pipeline.md``).

``Engine`` is the synchronous pipeline (validation → risk → execution), ``OrderGateway``
its asyncio face, ``StageTimes`` the optional per-stage stamps; ``replay`` and
``replay_async`` run a recorded ``EVENT_DTYPE`` array through them.
"""

from hotpath_asyncio.engine import Engine
from hotpath_asyncio.replayer import replay
from hotpath_asyncio.service import OrderGateway, replay_async
from hotpath_asyncio.stage_times import StageTimes

__all__ = ["Engine", "OrderGateway", "StageTimes", "replay", "replay_async"]
