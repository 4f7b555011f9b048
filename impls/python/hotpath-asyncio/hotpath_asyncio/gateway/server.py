"""The socket loop: a ZeroMQ ``ROUTER`` bound at the gateway's address, one frame read, answered
and its reply sent before the next is read.

Queues are bounded by ZeroMQ's high-water marks. ``ROUTER_MANDATORY`` makes a reply to a peer
whose queue is full wait (instead of being dropped, a ROUTER's default), and while it waits no
frame is read: a client that does not read its replies is slowed down, never answered with
silence, and the gateway's memory does not grow with what the client has sent.

A peer that stops reading therefore holds the gateway. If it has gone for good, ZeroMQ may
not tell (with both its queues full, libzmq defers noticing the disconnect until the gateway
reads, which it does not while it waits), so a stop signal gives the replies in hand
``FLUSH_MS`` in all, then counts what is left as undeliverable and exits.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
from typing import Any

import zmq
import zmq.asyncio

from hotpath_asyncio.gateway import ENGINE_SHAPE, GATEWAY_NAME
from hotpath_asyncio.gateway.drop_copy import DropCopySettings, GatewayDropCopy
from hotpath_asyncio.gateway.gc_pauses import GcPauses
from hotpath_asyncio.gateway.protocol import GatewayProtocol
from hotpath_asyncio.gateway.signals import StopRequest

DEFAULT_BIND = "tcp://127.0.0.1:5556"
FLUSH_MS = 3_000
"""How long a stopping gateway keeps trying to deliver its replies, in all."""
SEND_RETRY_MS = 500
"""A reply waiting for a full peer queue is tried again this often, to learn whether the
peer has gone (a ROUTER does not wake a waiting sender for that) or the flush time is over."""
FAIRNESS_FRAMES = 256
"""Frames handled back to back before the loop runs its other callbacks: while frames are
already queued, pyzmq completes each receive and send without giving the loop a turn, and
the signal handlers are loop callbacks."""


def zmq_endpoint(bind: str) -> str:
    """``--bind`` as libzmq takes it: port 0 ("pick a free one") is ``*`` to libzmq."""
    return re.sub(r":0$", ":*", bind)


class GatewayServer:
    """Serves the protocol on one socket until a stop signal."""

    def __init__(
        self, socket: zmq.asyncio.Socket, drop_copy: GatewayDropCopy | None = None
    ) -> None:
        self.socket = socket
        self.protocol = GatewayProtocol(drop_copy)
        self.send_waits = 0
        """Replies that found the peer's queue full and waited (backpressure engaged)."""
        self.undeliverable = 0
        """Replies given up: the peer had disconnected, or a stop's flush time ran out."""
        self._receive: asyncio.Future[list[bytes]] | None = None
        self._stopping = False
        self._give_up_at = float("inf")

    def stop_reading(self) -> None:
        """Called on the loop by the signal handler: a pending receive is withdrawn, a
        frame already received is still answered (within ``FLUSH_MS``)."""
        self._stopping = True
        self._give_up_at = asyncio.get_running_loop().time() + FLUSH_MS / 1000
        if self._receive is not None:
            self._receive.cancel()

    def stopping(self) -> bool:
        return self._stopping

    async def serve(self) -> None:
        socket = self.socket
        answer = self.protocol.answer
        since_yield = 0
        while not self._stopping:
            # pyzmq's receive is an asyncio Future (typed as an Awaitable): cancellable
            self._receive = receive = asyncio.ensure_future(socket.recv_multipart())
            try:
                identity, *parts = await receive
            except asyncio.CancelledError:
                if self.stopping():  # withdrawn by stop_reading: nothing was read
                    break
                raise
            finally:
                self._receive = None
            # one frame per message is the protocol; a multipart message is read as one frame
            frame = parts[0] if len(parts) == 1 else b"".join(parts)
            await self._send(identity, answer(frame))
            since_yield += 1
            if since_yield == FAIRNESS_FRAMES:
                since_yield = 0
                await asyncio.sleep(0)

    def flush_ms_left(self) -> int:
        """What is left of ``FLUSH_MS`` since the stop signal, for the socket's linger."""
        left = self._give_up_at - asyncio.get_running_loop().time()
        return max(0, min(FLUSH_MS, int(left * 1000)))

    async def _send(self, identity: bytes, reply: bytes) -> None:
        """Sends one reply, waiting while the peer's queue is full unless the peer has gone,
        or the gateway is stopping and its flush time is over."""
        loop = asyncio.get_running_loop()
        sent = asyncio.ensure_future(self.socket.send_multipart([identity, reply]))
        if not sent.done():
            self.send_waits += 1
        while True:
            try:
                await sent
                return
            except zmq.Again:  # SNDTIMEO: still full
                if loop.time() >= self._give_up_at:
                    self.undeliverable += 1
                    return
            except zmq.ZMQError as exc:
                if exc.errno != zmq.EHOSTUNREACH:
                    raise
                self.undeliverable += 1
                return
            sent = asyncio.ensure_future(self.socket.send_multipart([identity, reply]))

    def summary(self, reason: str, gc_pauses: GcPauses) -> dict[str, Any]:
        """The ``stopped`` line (``docs/wire.md``), with each session's drop-copy figures
        under ``drop_copy`` when it publishes one (docs/dropcopy.md)."""
        drop_copy = self.protocol.drop_copy
        extra: dict[str, Any] = {}
        if drop_copy is not None:  # a session left open by the client is closed first
            extra["drop_copy"] = drop_copy.summary()
        return {
            "stopped": reason,
            "gateway": GATEWAY_NAME,
            "sessions": self.protocol.sessions,
            **self.protocol.totals.to_json(),
            "max_queue": 0,  # no queue between the socket and the engine: see ENGINE_SHAPE
            "send_waits": self.send_waits,
            "undeliverable": self.undeliverable,
            "gc": gc_pauses.to_json(),
            **extra,
        }


def print_line(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


async def run(bind: str, drop_copy: DropCopySettings | None = None) -> None:
    """Binds, prints the ``listening`` line, serves until SIGINT/SIGTERM, flushes, prints
    the ``stopped`` line."""
    context = zmq.asyncio.Context()
    socket = context.socket(zmq.ROUTER)
    socket.setsockopt(zmq.ROUTER_MANDATORY, 1)
    socket.setsockopt(zmq.SNDTIMEO, SEND_RETRY_MS)
    try:
        socket.bind(zmq_endpoint(bind))
    except zmq.ZMQError as exc:
        socket.close(linger=0)
        context.term()
        raise SystemExit(f"hotpath_asyncio.gateway: cannot bind {bind}: {exc.strerror}") from None
    server = GatewayServer(socket, None if drop_copy is None else GatewayDropCopy(drop_copy))
    stop = StopRequest(asyncio.get_running_loop(), server.stop_reading)
    endpoint = socket.getsockopt_string(zmq.LAST_ENDPOINT)
    with GcPauses() as gc_pauses:
        print_line(
            {
                "listening": endpoint,
                "gateway": GATEWAY_NAME,
                "engine": ENGINE_SHAPE,
                "poll": "park",
                "pid": os.getpid(),
            }
        )
        await server.serve()
        # replies already handed to ZeroMQ are delivered, or given up when the time is over
        socket.close(linger=server.flush_ms_left())
        context.term()
    print_line(server.summary(stop.reason or "stopped", gc_pauses))
