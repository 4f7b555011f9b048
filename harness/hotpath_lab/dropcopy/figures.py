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
    prefix: str,
    stopped: dict[str, Any] | None,
    received: np.ndarray,
    snapshot_every: int,
) -> dict[str, Any]:
    """A gateway's drop-copy row: its timed session is its last (the warm-up session, if
    any, comes first, under ``<prefix>:session-1``); checked against the reports the
    generator received from it, whose digest is the row's."""
    from hotpath_lab.dropcopy.verify import check_exactly_once

    sessions = ((stopped or {}).get("drop_copy") or {}).get("sessions") or []
    if not sessions:
        raise RuntimeError(
            f"the gateway was started to publish under {prefix} but its stopped line has no "
            "drop-copy figures"
        )
    timed = dict(sessions[-1])
    session_prefix = str(timed["prefix"])
    publisher = {name: timed.get(name, 0) for name in PUBLISHER_FIGURES}
    publisher["outage_s"] = float(publisher["outage_s"] or 0.0)
    publisher["error"] = timed.get("error")
    return {
        "url": url,
        "prefix": session_prefix,
        "publisher": publisher,
        "check": check_exactly_once(url, session_prefix, received, snapshot_every=snapshot_every),
    }


PUBLISHER_FIGURES = tuple(f.name for f in fields(PublisherFigures) if f.name != "error")
"""The publisher's counts, as ``run.json`` keeps them (docs/dropcopy.md)."""
