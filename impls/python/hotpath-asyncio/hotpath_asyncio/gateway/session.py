"""One open session: a fresh engine, the running event index, and the report stream cut into
one REPORTS payload per EVENTS frame.

The session takes each frame's reports out of the engine's log once they are encoded: the
stream lives on the wire and in the running digest, so a session's memory does not grow with
the number of reports it has sent.
"""

from __future__ import annotations

import hashlib

from hotpath_asyncio.engine import Engine
from hotpath_asyncio.gateway.counters import Counters
from hotpath_asyncio.gateway.drop_copy import SentReports
from hotpath_format import EVENT_DTYPE, EVENT_STRUCT, REPORT_STRUCT, ScenarioMeta
from hotpath_format.wire import check_event_kinds

_KIND_OFFSET: int = EVENT_DTYPE.fields["kind"][1]  # type: ignore[index]  # a record dtype
_EVENT_SIZE = EVENT_STRUCT.size


class Session:
    """START to FINISH: every accepted event goes through one engine, numbered 0, 1, …"""

    __slots__ = ("_digest", "counters", "engine", "next_index", "sent")

    def __init__(self, meta: ScenarioMeta, sent: SentReports | None = None) -> None:
        self.engine = Engine(meta)
        self.sent = sent
        """Where the drop-copy's publisher reads the session's reports (``drop_copy``)."""
        self.next_index = 0
        self.counters = Counters()
        # hashed as sent; equal to hotpath_format.report_digest of the whole stream
        self._digest = hashlib.sha256()

    def apply(self, payload: memoryview) -> tuple[bytes, int]:
        """Runs a frame's event records (already sized by the framing) through the engine;
        returns the report records they produced (``seq`` continuing the session's) and how
        many.

        Raises ``WireError`` (``BAD_RECORD``) before applying anything if a record's kind is
        not an event kind: a refused frame's events take no numbers.
        """
        check_event_kinds(payload[_KIND_OFFSET::_EVENT_SIZE])
        index = self.next_index
        handle = self.engine.handle
        for fields in EVENT_STRUCT.iter_unpack(payload):
            handle(index, *fields)
            index += 1
        reports = self.engine.reports
        produced = len(reports)
        first_seq = self.counters.reports + 1
        pack = REPORT_STRUCT.pack
        body = b"".join([pack(seq, *r) for seq, r in enumerate(reports, first_seq)])
        reports.clear()
        self._digest.update(body)
        if self.sent is not None:
            self.sent.add(body, produced)
        self.counters.events += index - self.next_index
        self.counters.reports += produced
        self.next_index = index
        return body, produced

    def summary(self) -> dict[str, object]:
        """The FINISHED payload (``docs/formats.md``)."""
        return {**self.counters.to_json(), "digest": self._digest.hexdigest()}
