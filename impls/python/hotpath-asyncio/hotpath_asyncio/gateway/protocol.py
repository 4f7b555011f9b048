"""The protocol's state machine: one frame in, one reply frame out, no sockets.

Every frame gets exactly one reply; a malformed one gets ERROR with its reject code and is
counted, and changes nothing else (``docs/formats.md``, "Rejects").
"""

from __future__ import annotations

import json

from hotpath_asyncio.gateway import ENGINE_SHAPE, GATEWAY_NAME
from hotpath_asyncio.gateway.counters import Counters
from hotpath_asyncio.gateway.drop_copy import GatewayDropCopy
from hotpath_asyncio.gateway.session import Session
from hotpath_format import MetadataError, ScenarioMeta
from hotpath_format.codes import WireKind, WireReject
from hotpath_format.wire import (
    WIRE_HEADER_SIZE,
    Header,
    WireError,
    check_payload,
    error_frame,
    parse_header,
    records_frame,
    seq_of,
    text_frame,
)

CLIENT_KINDS = frozenset({WireKind.START, WireKind.EVENTS, WireKind.FINISH})
"""What a gateway accepts; the other kinds travel the other way and are ``UNKNOWN_KIND`` here."""

_READY = json.dumps({"gateway": GATEWAY_NAME, "engine": ENGINE_SHAPE}).encode()


class GatewayProtocol:
    """At most one open session; ``answer`` maps each received frame to its reply."""

    __slots__ = ("drop_copy", "session", "sessions", "totals")

    def __init__(self, drop_copy: GatewayDropCopy | None = None) -> None:
        self.drop_copy = drop_copy
        """Publishes each session's reports to Redis (``--drop-copy``), or ``None``."""
        self.session: Session | None = None
        self.sessions = 0
        """Sessions started."""
        self.totals = Counters()
        """Over the gateway's whole life."""

    def answer(self, frame: bytes) -> bytes:
        self.totals.frames += 1
        if self.session is not None:
            self.session.counters.frames += 1
        try:
            return self._dispatch(frame)
        except WireError as exc:
            self.totals.reject(exc.code)
            if self.session is not None:
                self.session.counters.reject(exc.code)
            return error_frame(seq_of(frame), exc.code, exc.message)

    def _dispatch(self, frame: bytes) -> bytes:
        header = parse_header(frame)
        if header.kind not in CLIENT_KINDS:
            raise WireError(
                WireReject.UNKNOWN_KIND,
                f"kind {int(header.kind)} ({header.kind.name}) is not sent to a gateway",
            )
        payload = memoryview(frame)[WIRE_HEADER_SIZE:]
        check_payload(header, len(payload))
        if header.kind is WireKind.EVENTS:
            return self._events(header, payload)
        if header.kind is WireKind.START:
            return self._start(payload)
        return self._finish()

    def _start(self, payload: memoryview) -> bytes:
        try:
            meta = ScenarioMeta.from_json(bytes(payload), file="START frame")
        except MetadataError as exc:
            # a refused START leaves an open session as it was
            raise WireError(WireReject.BAD_METADATA, str(exc)) from None
        self.sessions += 1
        sent = None if self.drop_copy is None else self.drop_copy.open(self.sessions)
        self.session = Session(meta, sent)
        return text_frame(WireKind.READY, _READY)

    def _events(self, header: Header, payload: memoryview) -> bytes:
        session = self.session
        if session is None:
            raise WireError(WireReject.NO_SESSION, "EVENTS before START")
        body, produced = session.apply(payload)
        self.totals.events += header.count
        self.totals.reports += produced
        return records_frame(WireKind.REPORTS, header.seq, body, produced)

    def _finish(self) -> bytes:
        session = self.session
        if session is None:
            raise WireError(WireReject.NO_SESSION, "FINISH before START")
        self.session = None
        if self.drop_copy is not None:  # the session is over: its reports out before FINISHED
            self.drop_copy.close()
        return text_frame(WireKind.FINISHED, json.dumps(session.summary()).encode())
