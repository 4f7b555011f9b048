"""``sweep.json`` as frozen dataclasses: a ``hotpath sweep`` (docs/wire.md, "hotpath
sweep"), read and written through the same codec as ``run.json``.

A sweep steps the constant offered rate for each target, one generator run (a fresh
session) per step, judges every step by the sustained-rate rule (``SustainRule``) and
records the highest rate each target sustained: the knee of its latency-throughput curve.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args, get_type_hints

from hotpath_lab.storage.codec import doc
from hotpath_lab.storage.latency_model import LatencySummary
from hotpath_lab.storage.run_model import Environment, Scenario
from hotpath_lab.storage.wire_model import Trend


@dataclass(frozen=True, kw_only=True)
class SustainRule:
    """A step is sustained when all three hold (docs/wire.md explains the choices)."""

    achieved_share: float = field(
        default=0.95, metadata=doc("achieved ≥ this share of the offered rate")
    )
    p99_factor: float = field(
        default=4.0,
        metadata=doc("typical e2e P99 ≤ this multiple of the low-load one (lowest at lower rates)"),
    )
    backlog_factor: float = field(
        default=2.0,
        metadata=doc("no growing backlog: last-quarter median e2e ≤ this × the first's …"),
    )
    backlog_margin_ns: int = field(default=100_000, metadata=doc("… or at most this much above it"))


@dataclass(frozen=True, kw_only=True)
class SweepStep:
    """One offered rate against one target."""

    rate_per_s: float = field(metadata=doc("the constant rate asked for (--pace rate:R)"))
    events: int = field(metadata=doc("sent in the timed session"))
    session_s: float = field(
        metadata=doc("events ÷ rate: shorter than step_seconds when the scenario is too small")
    )
    offered_per_s: float | None
    achieved_per_s: float | None
    e2e: LatencySummary | None = field(metadata=doc("the whole timed session's"))
    typical_p99_ns: int | None = field(
        metadata=doc(
            "median over its interval log's intervals of their e2e P99: what the rule judges"
        )
    )
    interval_s: float = field(metadata=doc("the interval of its interval log"))
    tick_to_book: LatencySummary | None
    trend: Trend | None
    batch_mean: float | None
    send_lag_p99_ns: int | None
    gateway_cpu_share: float | None
    gateway_cpu_per_order_ns: float | None
    gateway_peak_rss_bytes: int | None = field(
        metadata=doc("the process's high-water mark so far (one process serves every step)")
    )
    errors: Mapping[str, int]
    digest: str | None = field(metadata=doc("gateways: of the reports received"))
    failure: str | None = field(metadata=doc("why the generator or the process failed"))
    sustained: bool
    reasons: tuple[str, ...] = field(metadata=doc("why it was not sustained"))
    folder: str = field(metadata=doc("its generator files, relative to the sweep folder"))
    label: str = field(metadata=doc("their stem"))


@dataclass(frozen=True, kw_only=True)
class SweepTarget:
    """Every step of one target, lowest rate first."""

    target: str
    kind: Literal["gateway", "floor"]
    steps: tuple[SweepStep, ...]
    baseline_p99_ns: int | None = field(
        metadata=doc("its low-load typical P99: the lowest over the steps it sustained")
    )
    sustained_max_per_s: float | None = field(
        metadata=doc("the highest offered rate it sustained: the knee")
    )
    stopped: str = field(metadata=doc("why stepping ended"))


@dataclass(frozen=True, kw_only=True)
class SweepSettings:
    rates: tuple[float, ...]
    step_seconds: float = field(metadata=doc("length of each timed session (capped by the file)"))
    warmup: int
    engine: str
    poll: str
    gateway_cpu: int | None
    loadgen_cpu: int | None
    max_batch: int | None
    window: int | None
    scale: float
    seed: int | None
    stop_after_failures: int = field(metadata=doc("consecutive failed steps that end a target"))


@dataclass(frozen=True, kw_only=True)
class SweepFiles:
    knee_png: str
    knee_svg: str


@dataclass(frozen=True, kw_only=True)
class Sweep:
    """``results/<scenario>/sweep-<utc>-<sha>/sweep.json``."""

    schema: Literal["hotpath.sweep/1"] = "hotpath.sweep/1"
    sweep_id: str
    created_utc: str
    duration_s: float
    scenario: Scenario
    environment: Environment
    settings: SweepSettings
    rule: SustainRule
    targets: Mapping[str, SweepTarget]
    files: SweepFiles


SWEEP_SCHEMA: str = get_args(get_type_hints(Sweep)["schema"])[0]
