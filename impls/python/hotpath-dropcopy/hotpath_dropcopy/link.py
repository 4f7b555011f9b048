"""The publisher's connection to Redis: one redis-py connection, used bare.

Not a client with a pool: a pool reconnects by itself when it finds a connection broken,
and the publisher must resume after the streams' last entries on *every* new connection
(``docs/dropcopy.md``). Here a broken connection stays broken — every command raises — until
the publisher calls ``connect`` and resumes; and nothing is retried behind its back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from hotpath_dropcopy.outbox import Pending, Stream
from hotpath_format import positions_key, reports_key
from hotpath_format.dropcopy import seq_of_id

CONNECT_TIMEOUT_S = 1.0
IO_TIMEOUT_S = 5.0

LINK_ERRORS: tuple[type[Exception], ...] = (
    redis.ConnectionError,
    redis.TimeoutError,
    OSError,
)
"""What a broken or unreachable server raises (a server still loading its append-only file
after a restart answers ``LOADING``: a ``BusyLoadingError``, a ``ConnectionError``)."""

_REFUSED = "equal or smaller than the target stream top item"


def is_refused_duplicate(error: Exception) -> bool:
    """Whether Redis refused an ``XADD`` because the stream already holds its ID or later."""
    return isinstance(error, redis.ResponseError) and _REFUSED in str(error)


class Link:
    """One connection for the streams under ``prefix``."""

    __slots__ = ("_conn", "_keys", "_up")

    def __init__(self, url: str, prefix: str) -> None:
        """Raises ``ValueError`` for a URL redis-py cannot parse; does not connect."""
        pool = redis.ConnectionPool.from_url(
            url,
            socket_connect_timeout=CONNECT_TIMEOUT_S,
            socket_timeout=IO_TIMEOUT_S,
            retry=Retry(NoBackoff(), 0),
        )
        self._conn: Any = pool.connection_class(**pool.connection_kwargs)
        self._keys = {Stream.REPORTS: reports_key(prefix), Stream.POSITIONS: positions_key(prefix)}
        self._up = False

    def connect(self) -> None:
        """Opens the connection if it is not open (a no-op on a working one)."""
        if not self._up:
            self._conn.disconnect()
            self._conn.connect()
            self._up = True

    def ping(self) -> None:
        self._round_trip([("PING",)])

    def tops(self) -> tuple[int, int]:
        """The last seq of the reports stream and of the positions stream (0 when empty)."""
        answers = self._round_trip(
            [
                ("XREVRANGE", self._keys[Stream.REPORTS], "+", "-", "COUNT", 1),
                ("XREVRANGE", self._keys[Stream.POSITIONS], "+", "-", "COUNT", 1),
            ]
        )
        for answer in answers:
            if isinstance(answer, Exception):
                raise answer
        return tuple(seq_of_id(a[0][0]) if a else 0 for a in answers)  # type: ignore[return-value]

    def send(self, entries: Sequence[Pending]) -> list[Any]:
        """``XADD``s every entry with its explicit ID in one round trip; each answer is the
        entry's ID or the error Redis gave for it (returned, not raised)."""
        commands = []
        for e in entries:
            entry, fields = e.encode()
            args: list[Any] = ["XADD", self._keys[e.stream], entry]
            for name, value in fields.items():
                args += (name, value)
            commands.append(args)
        return self._round_trip(commands)

    def drop(self) -> None:
        """Closes the connection; commands raise until ``connect``."""
        self._up = False
        self._conn.disconnect()

    def close(self) -> None:
        self.drop()

    def _round_trip(self, commands: Sequence[Sequence[Any]]) -> list[Any]:
        if not self._up:
            raise redis.ConnectionError("not connected (resume first)")
        try:
            self._conn.send_packed_command(self._conn.pack_commands(commands), check_health=False)
            answers: list[Any] = []
            for _ in commands:
                try:
                    answers.append(self._conn.read_response())
                except redis.ResponseError as exc:  # the server's answer to that one command
                    answers.append(exc)
        except BaseException:
            self.drop()
            raise
        return answers
