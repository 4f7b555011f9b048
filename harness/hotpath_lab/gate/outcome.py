"""What a gate tier returns: one row per judged figure, and the tier's overall status.

Both tiers speak this vocabulary so that ``hotpath gate`` prints one kind of table and maps
one kind of status to its exit code (``EXIT_CODES``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Judgement(StrEnum):
    """The verdict on one figure."""

    PASS = "pass"
    """No change beyond the threshold (or a change for the better)."""
    REGRESSION = "regression"
    """Worse by more than the threshold, and the interval (if any) says it is not noise."""
    NOT_GATED = "not gated"
    """Reported but not judged: e.g. a percentile beyond the machine's noise floor."""
    UNMEASURED = "could not measure"
    """The figure could not be measured well enough to judge (say why in ``note``)."""


class Status(StrEnum):
    """A tier's (or the whole gate's) result; ``EXIT_CODES`` maps it to the exit code."""

    PASS = "pass"
    REGRESSION = "regression"
    UNMEASURED = "could not measure"


EXIT_CODES = {Status.PASS: 0, Status.REGRESSION: 1, Status.UNMEASURED: 5}
"""``hotpath gate``'s exit codes: 1 = regression (a check failed, as elsewhere in the CLI),
5 = could not measure. A regression outranks could-not-measure when tiers disagree."""


@dataclass(frozen=True)
class Row:
    """One judged figure: e.g. build ``rust-ffi``, metric ``instructions/order``, or
    ``risk P99``. Values are in ``unit``; ``change`` is candidate ÷ baseline − 1 with its
    interval (``low``/``high``; equal to ``change`` where the figure is exact)."""

    build: str
    metric: str
    unit: str
    baseline: float
    candidate: float
    change: float
    low: float
    high: float
    threshold: float
    """The relative change (e.g. 0.03 = +3 %) beyond which a worse figure is a regression."""
    judgement: Judgement
    note: str = ""


@dataclass(frozen=True)
class TierResult:
    """One tier's rows, with what it measured on and the files it left for a reader."""

    tier: str
    """``det`` or ``wall``."""
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = ()
    """Lines for the reader: the slice, run counts, noise floor, time taken, …"""
    attachments: tuple[Path, ...] = field(default=())
    """Files explaining a regression: callgrind function-level diffs, differential
    flame graphs."""
    unmeasured_reason: str = ""
    """Non-empty when the tier as a whole could not measure (e.g. valgrind missing, noise
    floor too high): the tier's status is then UNMEASURED whatever its rows say."""

    @property
    def status(self) -> Status:
        return overall(self.rows, self.unmeasured_reason)


def overall(rows: Sequence[Row], unmeasured_reason: str = "") -> Status:
    """REGRESSION if any row regressed; else UNMEASURED if the tier could not measure or any
    row could not be measured; else PASS."""
    if any(r.judgement is Judgement.REGRESSION for r in rows):
        return Status.REGRESSION
    if unmeasured_reason or any(r.judgement is Judgement.UNMEASURED for r in rows):
        return Status.UNMEASURED
    return Status.PASS


def combine(tiers: Sequence[TierResult]) -> Status:
    """The gate's status over its tiers (regression first, then could-not-measure)."""
    statuses = {t.status for t in tiers}
    for s in (Status.REGRESSION, Status.UNMEASURED):
        if s in statuses:
            return s
    return Status.PASS
