"""The lab's Python side of a gateway session: one pyzmq ``DEALER`` connected to one
gateway's ``ROUTER`` (docs/formats.md, "Wire protocol").

The measuring client is ``hotpath-loadgen`` (Rust); this one serves the correctness tools
that must see every report as it arrives (``hotpath shadow --wire``, ``hotpath canary``).
Frames are encoded and parsed by ``hotpath_format.wire``; a gateway that answers with ERROR,
the wrong kind or the wrong ``seq``, or not at all, raises ``GatewayFailed`` naming it.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import zmq

from hotpath_format import EVENT_DTYPE, REPORT_DTYPE, ScenarioMeta
from hotpath_format.codes import WireKind, WireReject
from hotpath_format.wire import (
    WIRE_HEADER_SIZE,
    Header,
    WireError,
    check_payload,
    parse_header,
    records_frame,
    text_frame,
)
from hotpath_lab.wire.process import GatewayFailed

ANSWER_TIMEOUT_S = 30.0
"""How long a gateway may stay silent before it counts as stuck (as ``hotpath-loadgen``)."""


@contextlib.contextmanager
def zmq_context() -> Iterator[zmq.Context[Any]]:
    """A ZeroMQ context for the links of one command, terminated on the way out (close
    every link first: ``term`` waits for open sockets)."""
    ctx: zmq.Context[Any] = zmq.Context()
    try:
        yield ctx
    finally:
        ctx.term()


@dataclass(frozen=True)
class Answer:
    """One frame a gateway sent, parsed, with its arrival (``time.monotonic_ns``)."""

    header: Header
    payload: bytes
    arrived_ns: int

    def reports(self) -> np.ndarray:
        return np.frombuffer(self.payload, REPORT_DTYPE)

    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.payload)
        return data


class GatewayLink:
    """A ``DEALER`` connected to the gateway ``name`` listening at ``endpoint``."""

    def __init__(
        self, name: str, endpoint: str, context: zmq.Context[Any], *,
        timeout_s: float = ANSWER_TIMEOUT_S,
    ) -> None:  # fmt: skip
        self.name = name
        self.endpoint = endpoint
        self.timeout_s = timeout_s
        self.socket: zmq.Socket[bytes] = context.socket(zmq.DEALER)
        self.socket.setsockopt(zmq.LINGER, 0)
        self.socket.connect(endpoint)

    def close(self) -> None:
        self.socket.close(linger=0)

    def start(self, meta: ScenarioMeta) -> dict[str, Any]:
        """START with the scenario's metadata; READY's payload."""
        self.socket.send(text_frame(WireKind.START, meta.to_json().encode()))
        return self.expect(WireKind.READY, 0).json()

    def finish(self) -> dict[str, Any]:
        """FINISH; FINISHED's summary (``events``, ``reports``, ``digest`` …)."""
        self.socket.send(Header(WireKind.FINISH, 0, 0).to_bytes())
        return self.expect(WireKind.FINISHED, 0).json()

    def send_events(self, seq: int, records: np.ndarray) -> int:
        """One EVENTS frame; returns when it was handed to the socket (``monotonic_ns``)."""
        assert records.dtype == EVENT_DTYPE and len(records) > 0
        frame = records_frame(WireKind.EVENTS, seq, records.tobytes(), len(records))
        sent = time.monotonic_ns()
        self.socket.send(frame, copy=False)
        return sent

    def receive(self, timeout_s: float | None = None) -> Answer:
        """The next frame, parsed and size-checked; an ERROR raises ``GatewayFailed``."""
        wait = self.timeout_s if timeout_s is None else timeout_s
        if not self.socket.poll(int(wait * 1000)):
            raise GatewayFailed(
                f"gateway {self.name} ({self.endpoint}) gave no answer in {wait:g} s"
            )
        return self.parse(self.socket.recv())

    def parse(self, frame: bytes) -> Answer:
        arrived = time.monotonic_ns()
        try:
            header = parse_header(frame)
            check_payload(header, len(frame) - WIRE_HEADER_SIZE)
        except WireError as exc:
            raise GatewayFailed(f"gateway {self.name} sent a malformed frame: {exc}") from None
        answer = Answer(header, frame[WIRE_HEADER_SIZE:], arrived)
        if header.kind is WireKind.ERROR:
            code = WireReject(answer.payload[0]).name if answer.payload else "?"
            raise GatewayFailed(
                f"gateway {self.name} refused frame seq {header.seq}: {code} "
                f"{answer.payload[1:].decode(errors='replace')}"
            )
        return answer

    def expect(self, kind: WireKind, seq: int) -> Answer:
        answer = self.receive()
        if (answer.header.kind, answer.header.seq) != (kind, seq):
            raise GatewayFailed(
                f"gateway {self.name}: expected {kind.name} seq {seq}, got "
                f"{answer.header.kind.name} seq {answer.header.seq}"
            )
        return answer
