"""Counting what a report stream says: reports by kind, rejects by reason, cancels by cause."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from hotpath_format import CancelReason, Liquidity, Reason, ReportKind


@dataclass
class OutcomeCounts:
    reports: int
    by_kind: dict[str, int]
    rejects_by_reason: dict[str, int]
    """``STAGE/REASON`` → count, every reason listed (zero when it never occurred)."""
    cancels_by_reason: dict[str, int]
    fills_by_liquidity: dict[str, int]
    filled_qty: int
    halted_accounts: list[int]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def missing_reject_reasons(self) -> list[str]:
        return [k for k, v in self.rejects_by_reason.items() if v == 0]


def count_outcomes(reports: np.ndarray) -> OutcomeCounts:
    kind = reports["kind"]
    by_kind = {k.name: int(np.count_nonzero(kind == k)) for k in ReportKind}
    rejects = reports[kind == ReportKind.REJECT]
    reasons = np.bincount(rejects["reason"], minlength=64)
    rejects_by_reason = {f"{r.stage.name}/{r.name}": int(reasons[r]) for r in Reason}
    cancels = reports[kind == ReportKind.CANCELLED]
    creasons = np.bincount(cancels["reason"], minlength=4)
    fills = reports[kind == ReportKind.FILL]
    liq = np.bincount(fills["liquidity"], minlength=3)
    halts = reports[kind == ReportKind.HALT]
    return OutcomeCounts(
        reports=len(reports),
        by_kind=by_kind,
        rejects_by_reason=rejects_by_reason,
        cancels_by_reason={c.name: int(creasons[c]) for c in CancelReason},
        fills_by_liquidity={lq.name: int(liq[lq]) for lq in Liquidity},
        filled_qty=int(fills["qty"].sum()) if len(fills) else 0,
        halted_accounts=sorted(int(a) for a in halts["account"]),
    )
