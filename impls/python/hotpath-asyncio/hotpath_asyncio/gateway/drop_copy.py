"""The wire-python gateway's drop-copy (docs/dropcopy.md): each session's reports, as sent,
published to Redis Streams by the Python publisher (``hotpath_dropcopy``) from its own
thread, one pair of streams per session (``<prefix>:session-<n>``, ``n`` the gateway's
session count: every session numbers its reports from 1), as the Rust gateway does.

The session's reports leave the engine's log once encoded, so the drop-copy keeps the
encoded frames for the publisher: appending a frame's bytes is the order path's whole cost.
They are kept until the session ends (64 bytes per report), so that the publisher can start
over from seq 1 if Redis loses what it had confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hotpath_format import REPORT_DTYPE

_SIZE = REPORT_DTYPE.itemsize


class SentReports:
    """A session's report stream as sent, served by index to the publisher's thread (a
    ``hotpath_dropcopy.ReportSource``). Appends and reads are each one step under the GIL,
    and the count moves only after the bytes are in. ``keep=False``: counted only (a
    session with no publisher)."""

    __slots__ = ("_buf", "_count", "_keep")

    def __init__(self, *, keep: bool = True) -> None:
        self._buf = bytearray()
        self._count = 0
        self._keep = keep

    def add(self, body: bytes, count: int) -> None:
        if self._keep:
            self._buf += body
        self._count += count

    def report_count(self) -> int:
        return self._count

    def report_records(self, start: int, stop: int) -> bytes:
        stop = min(stop, self._count)
        return bytes(self._buf[start * _SIZE : stop * _SIZE])


@dataclass(frozen=True)
class DropCopySettings:
    """``--drop-copy URL --drop-copy-prefix P [--snapshot-every N]``."""

    url: str
    prefix: str
    snapshot_every: int = 10_000


class GatewayDropCopy:
    """A publisher per session: ``open`` at START, ``close`` at FINISH (or when a new START
    replaces an open session, or the gateway stops); ``summary`` is the stopped line's
    ``drop_copy`` (the same shape as the Rust gateway's)."""

    def __init__(self, settings: DropCopySettings) -> None:
        self.settings = settings
        self._open: tuple[int, str, SentReports, Any] | None = None
        """The open session's number, prefix, source, and publisher (or why it has none)."""
        self.figures: list[dict[str, Any]] = []
        """Every finished session's publisher figures, with ``session`` and ``prefix``."""

    def summary(self) -> dict[str, Any]:
        """Closes the open session's pass, if any; the gateway's whole drop-copy."""
        self.close()
        return {"url": self.settings.url, "prefix": self.settings.prefix, "sessions": self.figures}

    def open(self, session: int) -> SentReports:
        """The new session's source. A session whose Redis cannot be reached is served all
        the same: its reports are counted, not kept, and its figures say why none was
        published (as the Rust gateway's do)."""
        from hotpath_dropcopy import DropCopyError, DropCopyPublisher

        self.close()
        sent = SentReports()
        prefix = f"{self.settings.prefix}:session-{session}"
        publisher = DropCopyPublisher(
            self.settings.url, prefix, sent, snapshot_every=self.settings.snapshot_every
        )
        try:
            publisher.start()
        except DropCopyError as exc:
            sent = SentReports(keep=False)
            self._open = (session, prefix, sent, str(exc))
        else:
            self._open = (session, prefix, sent, publisher)
        return sent

    def close(self) -> None:
        """Waits (at most the publisher's deadline) until Redis has the session's reports."""
        if self._open is None:
            return
        from hotpath_dropcopy import PublisherFigures

        (session, prefix, sent, publisher), self._open = self._open, None
        figures = (
            PublisherFigures.failed(sent.report_count(), publisher).to_dict()
            if isinstance(publisher, str)
            else publisher.finish()
        )
        self.figures.append({"session": session, "prefix": prefix, **figures})
