"""What the publisher reads from: a build's own report log, served by index."""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class ReportSource(Protocol):
    """A report stream that only grows, read from another thread while the engine appends.

    The Python builds' logs serve as one: ``hotpath_asyncio.reports.ReportLog`` (the
    ``python`` and ``hybrid-risk`` builds) and ``hotpath_tuned.PackedReports``
    (``python-tuned`` with packed reports). Both are read under the GIL while the engine
    appends; a log that can be touched only from its own thread (the Rust engine inside
    ``hybrid-risk-exec``) cannot be one.
    """

    def report_count(self) -> int:
        """How many reports the stream holds so far."""
        ...

    def report_records(self, start: int, stop: int) -> bytes:
        """Reports of seqs ``start+1 … stop`` as 64-byte ``REPORT_DTYPE`` records; a
        source that cannot serve them all cheaply yet may return the first few of them, or
        none (the publisher asks again)."""
        ...
