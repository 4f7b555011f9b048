"""What a drop-copy row adds to its worker's result: the publisher's own figures, and the
harness's check that Redis holds every report exactly once (docs/dropcopy.md)."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import numpy as np

from hotpath_lab.options import DropCopyJob
from hotpath_lab.storage.dropcopy_model import PublisherFigures


def drop_copy_figures(
    job: DropCopyJob, publisher: dict[str, Any] | None, reports: np.ndarray, snapshot_every: int
) -> dict[str, Any]:
    """Reads the streams back, checks them against ``reports`` (the pass's report stream,
    whose digest is the row's), and closes the row's entry in the run index."""
    from hotpath_lab.dropcopy.index import announce_end
    from hotpath_lab.dropcopy.verify import check_exactly_once

    if publisher is None:
        raise RuntimeError(
            f"the timed pass published to {job.prefix} but its build returned no publisher figures"
        )
    check = check_exactly_once(job.url, job.prefix, reports, snapshot_every=snapshot_every)
    announce_end(job.url, job.prefix, len(reports))
    return {"url": job.url, "prefix": job.prefix, "publisher": publisher, "check": check}


def wire_drop_copy_figures(
    url: str,
    timed_prefix: str,
    stopped: dict[str, Any] | None,
    received: np.ndarray,
    snapshot_every: int,
) -> dict[str, Any]:
    """A gateway's drop-copy row: its timed session's figures (the session that published
    under ``timed_prefix``, docs/dropcopy.md), its streams checked against the reports the
    generator received from it, whose digest is the row's."""
    from hotpath_lab.dropcopy.verify import check_exactly_once

    sessions = ((stopped or {}).get("drop_copy") or {}).get("sessions") or []
    timed = next((f for f in sessions if f.get("prefix") == timed_prefix), None)
    if timed is None:
        raise RuntimeError(
            f"the gateway's stopped line has no drop-copy figures for {timed_prefix} "
            f"(sessions: {[f.get('prefix') for f in sessions]})"
        )
    return {
        "url": url,
        "prefix": timed_prefix,
        "publisher": {name: timed[name] for name in PUBLISHER_FIGURES},
        "check": check_exactly_once(url, timed_prefix, received, snapshot_every=snapshot_every),
    }


PUBLISHER_FIGURES = tuple(f.name for f in fields(PublisherFigures))
"""The publisher's figures, as ``run.json`` keeps them (docs/dropcopy.md)."""
