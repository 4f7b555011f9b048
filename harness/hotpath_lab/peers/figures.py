"""A peer's own figures (``run.json``'s ``builds.<peer>.peer``): what its path decided for
each order request, and the latency of its submit path and of submit → accepted, recorded
from the pass's stamps with the lab's HDR recorder (``hotpath_toolkit.summarize_gaps``).

The stamps of a peer's pipeline mean (docs/peers.md): *validated*, the command is built and
about to be sent; *risked*, its path has handed it on (or its risk check denied it);
*executed*, the first answer of its path is back.
"""

from __future__ import annotations

import sys
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import numpy as np

from hotpath_format import EventKind, ReportKind, Stage
from hotpath_lab.drivers.plugin import AnyBuild, PassTimes

REFUSED = int(Stage.VALIDATION)
"""REJECT stage of a request the adapter could not put to the peer's path."""
DENIED = int(Stage.RISK)
"""REJECT stage of a request its risk check denied."""
ORDER_KINDS = (EventKind.NEW_ORDER, EventKind.CANCEL, EventKind.REPLACE)


def peer_figures(
    build: AnyBuild, records: np.ndarray, reports: np.ndarray, t: PassTimes
) -> dict[str, Any]:
    from hotpath_toolkit import summarize_gaps

    package = str(getattr(build, "peer_package", build.name))
    kinds = np.asarray(records["kind"])
    is_order = np.isin(kinds, ORDER_KINDS)
    answered, accepted = request_outcomes(records, reports)
    acc = is_order & accepted
    try:
        its_version: str | None = version(package)
    except PackageNotFoundError:
        its_version = None
    return {
        "package": package,
        "version": its_version,
        "interpreter": sys.executable,
        "requests": request_counts(records, reports, answered, accepted),
        "submit_ns": summarize_gaps(t.risked[is_order], t.validated[is_order]),
        "submit_to_accepted_ns": summarize_gaps(t.executed[acc], t.validated[acc]),
        "submit_to_answer_ns": summarize_gaps(t.executed[is_order], t.validated[is_order]),
    }


def request_outcomes(records: np.ndarray, reports: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per event: whether the order request got an outcome of its own (NEW: ACK, REJECT or a
    FILL of its order; CANCEL: the CANCELLED it asked for, or its REJECT; REPLACE: REPLACED
    or REJECT), and whether a NEW was accepted (ACK)."""
    n = len(records)
    at = reports["event_index"].astype(np.int64)
    request_kind = np.asarray(records["kind"])[at]
    request_id = np.asarray(records["id"])[at]
    kind = reports["kind"]
    own = reports["order_id"] == request_id
    outcome = (
        (
            (request_kind == EventKind.NEW_ORDER)
            & own
            & np.isin(kind, (ReportKind.ACK, ReportKind.REJECT, ReportKind.FILL))
        )
        | (
            (request_kind == EventKind.CANCEL)
            & (
                ((kind == ReportKind.CANCELLED) & (reports["ref_id"] == request_id))
                | ((kind == ReportKind.REJECT) & own)
            )
        )
        | (
            (request_kind == EventKind.REPLACE)
            & own
            & np.isin(kind, (ReportKind.REPLACED, ReportKind.REJECT))
        )
    )
    answered = np.zeros(n, bool)
    answered[at[outcome]] = True
    accepted = np.zeros(n, bool)
    acks = (request_kind == EventKind.NEW_ORDER) & own & (kind == ReportKind.ACK)
    accepted[at[acks]] = True
    return answered, accepted


def request_counts(
    records: np.ndarray, reports: np.ndarray, answered: np.ndarray, accepted: np.ndarray
) -> dict[str, int]:
    """Order requests by outcome; ``unanswered`` counts requests its path said nothing to."""
    kinds = np.asarray(records["kind"])
    is_order = np.isin(kinds, ORDER_KINDS)
    at = reports["event_index"].astype(np.int64)
    rejects = reports[reports["kind"] == ReportKind.REJECT]
    new = kinds == EventKind.NEW_ORDER
    filled_new = np.zeros(len(records), bool)
    filled_new[at[reports["kind"] == ReportKind.FILL]] = True
    return {
        "requests": int(is_order.sum()),
        "new": int(new.sum()),
        "cancel": int((kinds == EventKind.CANCEL).sum()),
        "replace": int((kinds == EventKind.REPLACE).sum()),
        "accepted": int((new & accepted).sum()),
        "filled_without_ack": int((new & ~accepted & filled_new & answered).sum()),
        "cancelled": int(
            ((reports["kind"] == ReportKind.CANCELLED) & (reports["ref_id"] != 0)).sum()
        ),
        "replaced": int((reports["kind"] == ReportKind.REPLACED).sum()),
        "refused_by_adapter": int((rejects["stage"] == REFUSED).sum()),
        "denied_by_risk": int((rejects["stage"] == DENIED).sum()),
        "rejected_by_venue": int(
            ((rejects["stage"] != REFUSED) & (rejects["stage"] != DENIED)).sum()
        ),
        "unanswered": int((is_order & ~answered).sum()),
    }
