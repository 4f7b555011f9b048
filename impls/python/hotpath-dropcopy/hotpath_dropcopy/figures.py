"""The publisher's figures, under the names both languages' publishers report
(``docs/dropcopy.md``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

FIGURE_NAMES = (
    "produced",
    "published",
    "published_live",
    "backfilled",
    "entries",
    "snapshots",
    "reconnects",
    "refused_duplicates",
    "lost_on_server",
    "unpublished",
    "overflowed",
    "max_lag",
    "outage_s",
    "error",
)


@dataclass(slots=True)
class PublisherFigures:
    """What one publishing pass did.

    The Python publisher reads the engine's own log, which keeps every report: nothing
    overflows, so nothing is backfilled and every published report was published live.
    """

    produced: int = 0
    """Reports in the source at the end of the pass."""
    published: int = 0
    """Reports the reports stream holds, as confirmed by Redis (seqs ``1 … published``)."""
    entries: int = 0
    """Reports entries this publisher had acknowledged."""
    snapshots: int = 0
    """Positions entries this publisher had acknowledged."""
    reconnects: int = 0
    """Connections made again after one broke."""
    refused_duplicates: int = 0
    """Entries Redis refused because the stream already held their ID or a later one."""
    lost_on_server: int = 0
    """Reports Redis had acknowledged and no longer held on a reconnection (published again
    from the source)."""
    unpublished: int = 0
    """Reports not confirmed when the end-of-pass deadline ran out (or the publisher failed)."""
    max_lag: int = 0
    """Most reports produced and not yet confirmed, as seen by the publisher."""
    outage_s: float = 0.0
    """Time without a working connection."""
    error: str | None = None
    """Why the publisher stopped before the end, or what kept it from finishing."""

    @classmethod
    def failed(cls, produced: int, error: str) -> PublisherFigures:
        """A pass that could not publish at all: every report it produced is unpublished
        (the Rust publisher's ``DropCopyStats::failed``)."""
        return cls(produced=produced, unpublished=produced, error=error)

    def to_dict(self) -> dict[str, int | float | str | None]:
        out: dict[str, int | float | str | None] = asdict(self)
        out["published_live"] = self.published
        out["backfilled"] = 0
        out["overflowed"] = 0
        return {name: out[name] for name in FIGURE_NAMES}
