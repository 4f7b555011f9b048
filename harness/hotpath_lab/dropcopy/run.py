"""The Redis server of a bench run with ``--drop-copy``, and the mid-run restart that shows
the gap policy at work (docs/dropcopy.md)."""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from hotpath_lab.options import DROP_COPY_LAB


class DropCopyServer(Protocol):
    """Where the drop-copy rows publish."""

    @property
    def url(self) -> str: ...


@dataclass(frozen=True)
class ExternalServer:
    """A server the user runs (``--drop-copy redis://…``): the run never restarts it."""

    url: str


@contextlib.contextmanager
def drop_copy_server(option: str | None) -> Iterator[DropCopyServer | None]:
    """``None`` without ``--drop-copy``; the user's server for a URL; for ``lab``, a
    ``redis-server`` of the run's own (append-only file in a temporary folder, which goes
    with the server when the run ends, however it ends)."""
    if option is None:
        yield None
    elif option != DROP_COPY_LAB:
        yield ExternalServer(option)
    else:
        from hotpath_lab.dropcopy.server import RedisServer

        with (
            tempfile.TemporaryDirectory(prefix="hotpath-redis-") as data,
            RedisServer(Path(data)) as server,
        ):
            yield server


class RestartPlan:
    """Restarts the lab's server once, when a drop-copy row's timed pass is ``at`` done;
    ``outcome()`` says when it happened and how long Redis was away."""

    def __init__(self, server: DropCopyServer, at: float | None) -> None:
        self._server = server
        self._at = at
        self._outcome: dict[str, Any] | None = None

    def watch(self, phase: str, done: int, total: int) -> None:
        if self._at is None or self._outcome is not None or phase != "timed" or total <= 0:
            return
        if done < self._at * total or done >= total:  # inside the pass, never after it: the
            return  # worker then reads the streams back, and a restart would cut that short
        restart = getattr(self._server, "restart", None)
        if restart is None:  # options.check refuses this: only the lab's server restarts
            raise RuntimeError("--drop-copy-restart needs the lab's own Redis server")
        started = time.perf_counter()
        restart()
        self._outcome = {
            "at_event": done,
            "events": total,
            "down_s": time.perf_counter() - started,
        }

    def outcome(self) -> dict[str, Any] | None:
        """``None`` when no restart was asked for; else when it happened. A restart that was
        asked for but never reached (a pass too short to report its progress that far) is
        an error: the run would claim a test it did not do."""
        if self._at is not None and self._outcome is None:
            raise RuntimeError(
                f"the Redis restart at {self._at:.0%} of the timed pass never happened: the "
                "pass ended before its progress reached that point"
            )
        return self._outcome
