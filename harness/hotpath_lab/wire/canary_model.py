"""``canary.json`` as frozen dataclasses: one ``hotpath canary`` shift (docs/canary.md),
written and read through the same codec as ``run.json`` and ``sweep.json``.

Latencies are per order request, from its EVENTS frame handed to the router's socket to
that frame's REPORTS read by the router: measured through the Python router, so they carry
its own time and are for comparing the two sides of one shift, not for quoting as a
gateway's figures (``hotpath bench --mode wire`` measures those).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args, get_type_hints

from hotpath_lab.storage.codec import doc
from hotpath_lab.storage.latency_model import LatencySummary
from hotpath_lab.storage.run_model import Environment, Scenario


@dataclass(frozen=True, kw_only=True)
class CanarySettings:
    old: str = field(metadata=doc("the build serving before the shift"))
    new: str = field(metadata=doc("the build the accounts move to"))
    steps_pct: tuple[float, ...] = field(metadata=doc("the canary shares asked for, in order"))
    events: int = field(metadata=doc("events of each step's session (the scenario's first N)"))
    guard_p99_us: float | None = field(
        metadata=doc("stop when the new build's order P99 is above this (µs)")
    )
    guard_p99_factor: float | None = field(
        metadata=doc("stop when the new build's order P99 is above this × the shadow's")
    )
    perturb_event: int | None = field(
        metadata=doc("testing aid: this event altered in the new build's copy")
    )
    window: int
    max_batch: int
    poll: str = field(metadata=doc("wire-rust's --poll"))
    scale: float
    seed: int | None


@dataclass(frozen=True, kw_only=True)
class SideFigures:
    """One gateway's session in a step."""

    build: str
    events: int = field(metadata=doc("received: all market data and the requests it serves"))
    orders: int = field(metadata=doc("order requests it received"))
    frames: int
    reports: int
    digest: str = field(metadata=doc("from its FINISHED summary"))
    latency: LatencySummary = field(
        metadata=doc("per order request, frame sent → REPORTS read, through the router")
    )


@dataclass(frozen=True, kw_only=True)
class GuardTrip:
    guard: Literal["mismatch", "p99", "p99-factor"]
    why: str


@dataclass(frozen=True, kw_only=True)
class CanaryStep:
    share_pct: float = field(metadata=doc("the share of accounts asked for"))
    new_accounts: tuple[int, ...] = field(metadata=doc("the account ids the new build serves"))
    account_share: float = field(metadata=doc("achieved: accounts served by the new build"))
    order_share: float = field(metadata=doc("achieved: order requests served by the new build"))
    sides: Mapping[str, SideFigures] = field(
        metadata=doc(
            "old (serving the rest), new (serving the canary), shadow (the old build "
            "on the canary's input, not served)"
        )
    )
    mismatches: int = field(
        metadata=doc("report records where the new build and its shadow differ")
    )
    first_mismatch: str | None = field(metadata=doc("the first, both reports and the input event"))
    tripped: tuple[GuardTrip, ...] = field(metadata=doc("the guards this step breached"))
    duration_s: float


@dataclass(frozen=True, kw_only=True)
class CanaryFiles:
    chart_png: str
    chart_svg: str
    report_md: str


@dataclass(frozen=True, kw_only=True)
class Canary:
    """``results/<scenario>/canary-<utc>-<sha>/canary.json``."""

    schema: Literal["hotpath.canary/1"] = "hotpath.canary/1"
    canary_id: str
    created_utc: str
    duration_s: float
    scenario: Scenario
    environment: Environment
    settings: CanarySettings
    steps: tuple[CanaryStep, ...]
    completed: bool = field(metadata=doc("every step ran and none tripped a guard"))
    stopped_at_pct: float | None = field(metadata=doc("the share whose step tripped a guard"))
    measured: str = field(metadata=doc("what the latencies are"))
    files: CanaryFiles


CANARY_SCHEMA: str = get_args(get_type_hints(Canary)["schema"])[0]
