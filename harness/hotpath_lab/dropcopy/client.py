"""One way to reach the Redis a drop-copy publishes to, with an error that names it."""

from __future__ import annotations

from typing import Any

import redis

CONNECT_TIMEOUT_S = 2.0
IO_TIMEOUT_S = 30.0
"""Generous: reading a long stream back moves hundreds of megabytes."""


class RedisUnreachable(RuntimeError):
    """No Redis answers at the URL (or the URL is not one)."""


def connect(url: str) -> redis.Redis:
    """A client for ``url`` that has answered ``PING``; raises :class:`RedisUnreachable`."""
    try:
        client = redis.Redis.from_url(
            url, socket_connect_timeout=CONNECT_TIMEOUT_S, socket_timeout=IO_TIMEOUT_S
        )
    except ValueError as exc:
        raise RedisUnreachable(f"bad Redis URL {url!r}: {exc}") from None
    try:
        command(client, "PING")
    except redis.RedisError as exc:
        client.close()
        raise RedisUnreachable(f"no Redis answering at {url}: {exc}") from None
    return client


def command(client: redis.Redis, *args: Any) -> Any:
    """One command; its answer as redis-py parses it (untyped there)."""
    return client.execute_command(*args)  # type: ignore[no-untyped-call]
