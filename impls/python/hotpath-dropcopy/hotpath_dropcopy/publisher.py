"""The Python builds' drop-copy publisher (``docs/dropcopy.md``): a thread of its own reads
new reports from the engine's report log by index, so the order path does no extra work; it
contends only for the GIL, and holds it briefly — a batch is converted at once (numpy,
bytes slices), never a report at a time.

Nothing is lost or sent twice: every ``XADD`` names its ID, so Redis refuses a second copy;
on every (re)connection the publisher resumes after the streams' last entries; while Redis is
unreachable it keeps what was not acknowledged (the log itself keeps every report) and
retries with a backoff of 10 ms doubling to 500 ms.
"""

from __future__ import annotations

import threading
import time

import redis

from hotpath_dropcopy.figures import PublisherFigures
from hotpath_dropcopy.link import IO_TIMEOUT_S, LINK_ERRORS, Link, is_refused_duplicate
from hotpath_dropcopy.outbox import Outbox, SourceError, Stream
from hotpath_dropcopy.source import ReportSource
from hotpath_format import DEFAULT_SNAPSHOT_EVERY, MAX_ENTRY_REPORTS

BACKOFF_FIRST_S = 0.010
BACKOFF_MAX_S = 0.500
READ_CHUNK_BATCHES = 1
"""Reports taken from the source per read, in batches. The GIL time per report is the same
for 256 or 1,024 at a time (about 0.75 µs for the Python build's tuples, measured), so the
smallest read makes the shortest stretches without a release (the socket I/O that follows
releases it), which is what an order waiting for the GIL feels."""
PIPELINE_ENTRIES = 32
"""Entries sent per round trip."""


class DropCopyError(RuntimeError):
    """The drop-copy cannot run: Redis unreachable at start, bad settings, or a fatal answer."""


class DropCopyPublisher:
    """Publishes ``source`` to the streams under ``prefix`` at ``url`` until ``finish``."""

    def __init__(
        self,
        url: str,
        prefix: str,
        source: ReportSource,
        *,
        snapshot_every: int = DEFAULT_SNAPSHOT_EVERY,
        batch: int = MAX_ENTRY_REPORTS,
        poll_s: float = 0.001,
        outbox_cap: int = 4_000_000,
        finish_timeout_s: float = 10.0,
    ) -> None:
        _check("prefix", prefix, bool(prefix), "a non-empty key prefix")
        _check("snapshot_every", snapshot_every, _int(snapshot_every) >= 1, "an integer ≥ 1")
        _check("batch", batch, 1 <= _int(batch) <= MAX_ENTRY_REPORTS, f"1 to {MAX_ENTRY_REPORTS}")
        _check("poll_s", poll_s, poll_s > 0, "> 0 s")
        _check("outbox_cap", outbox_cap, _int(outbox_cap) >= batch, "an integer ≥ batch")
        _check("finish_timeout_s", finish_timeout_s, finish_timeout_s >= 0, "≥ 0 s")
        self.url = url
        self.prefix = prefix
        self._source = source
        self._batch = batch
        self._poll_s = poll_s
        self._cap = outbox_cap
        self._finish_timeout_s = finish_timeout_s
        self._outbox = Outbox(batch, snapshot_every)
        self._figures = PublisherFigures()
        self._link: Link | None = None
        self._thread: threading.Thread | None = None
        self._finishing = threading.Event()
        self._stop = threading.Event()
        self._finished: dict[str, int | float | str | None] | None = None
        self._positions_acked = 0
        self._link_error: str | None = None
        """The last connection failure, reported if the pass ends before Redis confirms."""

    # ---- the caller's side -------------------------------------------------------------

    def start(self) -> None:
        """Connects (raises :class:`DropCopyError` naming the URL if Redis does not answer
        ``PING``) and starts publishing from a daemon thread."""
        if self._thread is not None:
            raise DropCopyError(f"drop-copy to {self.url} ({self.prefix}) was already started")
        try:
            self._link = Link(self.url, self.prefix)
        except ValueError as exc:
            raise DropCopyError(f"drop-copy: bad Redis URL {self.url!r}: {exc}") from None
        try:
            self._link.connect()
            self._link.ping()
        except (redis.RedisError, OSError) as exc:
            self._link.close()
            raise DropCopyError(f"drop-copy: no Redis answering at {self.url}: {exc}") from None
        self._thread = threading.Thread(target=self._run, name="hotpath-dropcopy", daemon=True)
        self._thread.start()

    def finish(self) -> dict[str, int | float | str | None]:
        """Publishes the source to its end (as it is now: the pass is over), waits for Redis
        to confirm it — at most ``finish_timeout_s`` — and returns the figures."""
        if self._finished is not None:
            return self._finished
        thread = self._thread
        if thread is None:
            raise DropCopyError(f"drop-copy to {self.url} ({self.prefix}) was never started")
        self._finishing.set()
        thread.join(self._finish_timeout_s)
        figures = self._figures
        if thread.is_alive():
            self._stop.set()
            thread.join(IO_TIMEOUT_S + 1.0)
            if figures.error is None:
                why = f" (last: {self._link_error})" if self._link_error else ""
                figures.error = (
                    f"not confirmed by Redis at {self.url} within {self._finish_timeout_s:g} s{why}"
                )
        figures.produced = self._source.report_count()
        figures.unpublished = max(0, figures.produced - figures.published)
        if figures.published > figures.produced and figures.error is None:
            figures.error = (
                f"{self.prefix}: the reports stream holds seq {figures.published}, beyond the "
                f"{figures.produced} reports produced (a stream left from another pass?)"
            )
        self._finished = figures.to_dict()
        return self._finished

    # ---- the publisher thread ----------------------------------------------------------

    def _run(self) -> None:
        link = self._link
        assert link is not None  # set by start()
        try:
            self._publish(link)
        except (DropCopyError, SourceError) as exc:
            self._figures.error = str(exc)
        except BaseException as exc:  # the thread must not end without saying why (a
            # source in Rust may raise a PanicException, which is no Exception)
            self._figures.error = f"{type(exc).__name__}: {exc}"
        finally:
            link.close()

    def _publish(self, link: Link) -> None:
        figures = self._figures
        outbox = self._outbox
        source = self._source
        read_chunk = READ_CHUNK_BATCHES * self._batch
        end: int | None = None
        resume = True
        backoff = BACKOFF_FIRST_S
        outage_since: float | None = None
        while not self._stop.is_set():
            try:
                if resume:
                    self._resume(link)
                    resume = False
                    if outage_since is not None:
                        figures.outage_s += time.monotonic() - outage_since
                        figures.reconnects += 1
                        outage_since = None
                        self._link_error = None
                    backoff = BACKOFF_FIRST_S
                produced = source.report_count()
                if end is None and self._finishing.is_set():
                    end = produced
                figures.max_lag = max(figures.max_lag, produced - figures.published)
                taken = False
                if outbox.read < produced and outbox.pending_reports < self._cap:
                    stop = min(produced, outbox.read + read_chunk)
                    data = source.report_records(outbox.read, stop)
                    if data:  # a source may not serve them yet
                        outbox.take(data)
                        taken = True
                if end is not None and outbox.read >= end:
                    outbox.close()
                if len(outbox):
                    resume = self._send(link)
                elif end is not None and outbox.closed:
                    return
                elif not taken:
                    self._stop.wait(self._poll_s)
            except LINK_ERRORS as exc:
                link.drop()
                resume = True
                if outage_since is None:
                    outage_since = time.monotonic()
                self._link_error = str(exc) or type(exc).__name__
                self._stop.wait(backoff)
                backoff = min(2 * backoff, BACKOFF_MAX_S)
        if outage_since is not None:
            figures.outage_s += time.monotonic() - outage_since

    def _resume(self, link: Link) -> None:
        """(Re)connects and realigns with what the streams hold: resumes after their last
        entries; if the server lost entries it had acknowledged, counts them and starts over
        from seq 1."""
        figures = self._figures
        link.connect()
        reports_top, positions_top = link.tops()
        if reports_top < figures.published or positions_top < self._positions_acked:
            figures.lost_on_server += max(0, figures.published - reports_top)
            self._outbox.rewind()
        figures.published = reports_top
        self._positions_acked = positions_top
        self._outbox.resume(reports_top, positions_top)

    def _send(self, link: Link) -> bool:
        """One pipeline of entries; True if Redis refused one (the streams are then ahead of
        what this publisher knew, and it resumes)."""
        figures = self._figures
        outbox = self._outbox
        refused = False
        for answer in link.send(outbox.head(PIPELINE_ENTRIES)):
            entry = outbox.acknowledged()
            if isinstance(answer, Exception):
                if isinstance(answer, LINK_ERRORS):
                    raise answer
                if not is_refused_duplicate(answer):
                    key = f"{self.prefix}:{entry.stream.value}"
                    raise DropCopyError(
                        f"Redis at {self.url} refused entry {entry.last}-0 of {key}: {answer}"
                    )
                figures.refused_duplicates += 1
                refused = True
            elif entry.stream is Stream.REPORTS:
                figures.entries += 1
                figures.published = max(figures.published, entry.last)
            else:
                figures.snapshots += 1
                self._positions_acked = max(self._positions_acked, entry.last)
        return refused


def _int(value: object) -> int:
    """``value`` if it is an int (not a bool), else -1 (fails every range check)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


def _check(name: str, value: object, ok: bool, expected: str) -> None:
    if not ok:
        raise ValueError(f"DropCopyPublisher {name}={value!r}: expected {expected}")
