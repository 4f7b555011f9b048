"""SIGINT and SIGTERM ask the gateway to stop: it stops reading, answers the frame in hand,
flushes its replies and prints its summary. A second signal gets the default action (the
handlers are removed at the first), so a gateway stuck flushing can still be killed."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StopRequest:
    """Which signal asked to stop (``None`` until one did); ``on_stop`` runs once, on the loop."""

    __slots__ = ("_loop", "_on_stop", "reason")

    def __init__(self, loop: asyncio.AbstractEventLoop, on_stop: Callable[[], None]) -> None:
        self.reason: str | None = None
        self._loop = loop
        self._on_stop = on_stop
        for sig in STOP_SIGNALS:
            loop.add_signal_handler(sig, self._received, sig)

    def _received(self, sig: signal.Signals) -> None:
        for s in STOP_SIGNALS:
            self._loop.remove_signal_handler(s)
        self.reason = sig.name
        self._on_stop()
