"""Shadow comparison: the same input through two builds must give identical report streams.

On a difference, the first diverging report of each build is shown with the input events
around the event that caused it, which is usually enough to name the broken rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from hotpath_format import (
    REPORT_DTYPE,
    CancelReason,
    EventKind,
    Liquidity,
    OrderType,
    Reason,
    ReportKind,
    Side,
    Stage,
)


@dataclass
class Divergence:
    index: int
    """Position in the report streams of the first difference."""
    a: np.ndarray | None
    b: np.ndarray | None
    event_index: int


def first_divergence(a: np.ndarray, b: np.ndarray) -> Divergence | None:
    """The first report where the two streams differ, or ``None`` if they are identical."""
    if a.dtype != REPORT_DTYPE or b.dtype != REPORT_DTYPE:
        raise TypeError("expected two REPORT_DTYPE arrays")
    n = min(len(a), len(b))
    rows_a = np.ascontiguousarray(a[:n]).view(np.uint8).reshape(n, REPORT_DTYPE.itemsize)
    rows_b = np.ascontiguousarray(b[:n]).view(np.uint8).reshape(n, REPORT_DTYPE.itemsize)
    diff = np.flatnonzero((rows_a != rows_b).any(axis=1))
    if len(diff):
        i = int(diff[0])
    elif len(a) != len(b):
        i = n
    else:
        return None
    ra = a[i] if i < len(a) else None
    rb = b[i] if i < len(b) else None
    event = min(int(r["event_index"]) for r in (ra, rb) if r is not None)
    return Divergence(i, ra, rb, event)


def describe_report(r: np.ndarray | None) -> str:
    if r is None:
        return "(stream ended)"
    kind = _name(ReportKind, int(r["kind"]))
    parts = [
        f"#{int(r['seq'])} {kind}",
        f"event {int(r['event_index'])}",
        f"order {int(r['order_id'])}",
        f"acct {int(r['account'])}",
        f"instr {int(r['instrument'])}",
    ]
    if int(r["ref_id"]):
        parts.append(f"ref {int(r['ref_id'])}")
    if kind in ("FILL", "ACK", "CANCELLED", "REPLACED", "REJECT"):
        parts.append(f"px {int(r['price'])} qty {int(r['qty'])} venue {int(r['venue'])}")
    if kind == "REJECT":
        parts.append(f"{_name(Stage, int(r['stage']))}/{_name(Reason, int(r['reason']))}")
    if kind == "CANCELLED":
        parts.append(_name(CancelReason, int(r["reason"])))
    if kind == "FILL":
        parts.append(_name(Liquidity, int(r["liquidity"])))
    if int(r["side"]):
        parts.append(_name(Side, int(r["side"])))
    return " ".join(parts)


def describe_event(i: int, e: np.ndarray) -> str:
    kind = _name(EventKind, int(e["kind"]))
    s = f"[{i}] ts {int(e['ts'])} {kind}"
    if kind in ("BOOK_DELTA", "TRADE"):
        return s + (
            f" venue {int(e['venue'])} instr {int(e['instrument'])} "
            f"{_name(Side, int(e['side']))} px {int(e['price'])} qty {int(e['qty'])}"
        )
    s += f" id {int(e['id'])} acct {int(e['account'])} instr {int(e['instrument'])}"
    if kind in ("CANCEL", "REPLACE"):
        s += f" orig {int(e['orig_id'])}"
    if kind == "NEW_ORDER":
        s += f" {_name(Side, int(e['side']))} {_name(OrderType, int(e['order_type']))}"
        s += f" venue {int(e['venue'])}"
    if kind in ("NEW_ORDER", "REPLACE"):
        s += f" px {int(e['price'])} qty {int(e['qty'])}"
    return s


def context(
    d: Divergence, events: np.ndarray, a: np.ndarray, b: np.ndarray, radius: int = 4
) -> dict[str, Any]:
    """Input events around the diverging one, and each build's reports just before it."""
    lo, hi = max(0, d.event_index - radius), min(len(events), d.event_index + radius + 1)
    return {
        "events": [describe_event(i, events[i]) for i in range(lo, hi)],
        "before_a": [describe_report(r) for r in a[max(0, d.index - 3) : d.index]],
        "before_b": [describe_report(r) for r in b[max(0, d.index - 3) : d.index]],
    }


def _name(enum: Any, value: int) -> str:
    try:
        return str(enum(value).name)
    except ValueError:
        return f"?{value}"
