"""The Python builds' drop-copy (``docs/dropcopy.md``): a publisher thread copies a build's
execution reports, and position snapshots folded from its fills, to Redis Streams, reading
the engine's own report log so that the order path does no extra work.

- ``ReportSource``: what the publisher reads (each Python build's report log serves as one);
- ``DropCopyPublisher``: ``start()`` then ``finish()`` around a pass, which returns the
  publisher's figures; ``DropCopyError`` when it cannot run.
"""

from __future__ import annotations

from hotpath_dropcopy.figures import FIGURE_NAMES, PublisherFigures
from hotpath_dropcopy.publisher import DropCopyError, DropCopyPublisher
from hotpath_dropcopy.source import ReportSource

__all__ = [
    "FIGURE_NAMES",
    "DropCopyError",
    "DropCopyPublisher",
    "PublisherFigures",
    "ReportSource",
]
