"""``builds.<build>@drop-copy.drop_copy``: what a drop-copy row published and what Redis
holds (docs/dropcopy.md). The row's latency, CPU and memory are in the row itself, beside
the build's row without the drop-copy."""

from __future__ import annotations

from dataclasses import dataclass, field

from hotpath_lab.storage.codec import doc, may_be_absent


@dataclass(frozen=True, kw_only=True)
class PublisherFigures:
    """The publisher's own count (the same keys in the Rust and the Python publisher)."""

    produced: int = field(metadata=doc("reports the build produced in the pass"))
    published: int = field(metadata=doc("reports Redis confirmed"))
    published_live: int = field(metadata=doc("of which confirmed before the pass ended"))
    backfilled: int = field(metadata=doc("published from the report log after the pass"))
    entries: int = field(metadata=doc("XADD entries of the reports stream"))
    snapshots: int = field(metadata=doc("position snapshots"))
    reconnects: int
    refused_duplicates: int = field(metadata=doc("XADDs Redis refused as already present"))
    lost_on_server: int = field(metadata=doc("confirmed reports Redis no longer held"))
    unpublished: int = field(metadata=doc("reports never confirmed (deadline or error)"))
    overflowed: int = field(metadata=doc("reports the hot path could not hand over"))
    max_lag: int = field(metadata=doc("most reports produced but not yet confirmed"))
    outage_s: float = field(metadata=doc("time without a connection to Redis"))
    error: str | None = field(metadata=doc("the last error, if any"))


@dataclass(frozen=True, kw_only=True)
class StreamCheck:
    """The harness reading the streams back after the pass (``dropcopy.verify``); counts
    are absent when a malformed entry stopped the reading (``error`` says which)."""

    produced: int
    published: int | None = field(metadata=doc("reports found in the stream"))
    entries: int | None = field(metadata=doc("entries of the reports stream"))
    contiguous: bool = field(metadata=doc("entries follow each other from seq 1"))
    duplicates: int | None = field(metadata=doc("reports present more than once"))
    gaps: int | None = field(metadata=doc("reports missing"))
    beyond: int | None = field(metadata=doc("seqs past the last report produced"))
    digest_match: bool = field(metadata=doc("the stream's records hash to the row's digest"))
    snapshots: int | None = field(metadata=doc("position snapshots found"))
    cadence_match: bool = field(metadata=doc("snapshots as of the seqs the cadence names"))
    positions_match: bool = field(
        metadata=doc("the last snapshot equals the fold of the row's reports")
    )
    exactly_once: bool = field(metadata=doc("every check above holds"))
    error: str | None = field(metadata=doc("a malformed entry, if any"))


@dataclass(frozen=True, kw_only=True)
class RedisRestart:
    """The lab's server restarted during the timed pass (``--drop-copy-restart``)."""

    at_event: int = field(metadata=doc("the pass's progress when the restart began"))
    events: int
    down_s: float = field(metadata=doc("from stopping the server to its answering again"))


@dataclass(frozen=True, kw_only=True)
class DropCopyFigures:
    """One drop-copy row's publishing."""

    url: str
    prefix: str = field(metadata=doc("key prefix of its streams"))
    publisher: PublisherFigures
    check: StreamCheck
    restart: RedisRestart | None = field(
        default=None, metadata=may_be_absent("runs without --drop-copy-restart")
    )
