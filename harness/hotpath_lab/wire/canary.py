"""``hotpath canary``: move a growing share of accounts from the old build to the new one,
one step at a time, and stop the shift when a guard is breached (docs/canary.md).

Three gateway processes serve the whole shift, each step a fresh session on each (START …
FINISH over the scenario or its first ``events``, like one trading day at that share: no
state moves between builds inside a session):

- ``old``: the old build, given all market data and the requests of the accounts it keeps;
- ``new``: the new build, given all market data and the canary accounts' requests;
- ``shadow``: the old build again, given exactly what ``new`` is given. Its reports are not
  served; the new build's are compared with them record by record, as they arrive.

A separate shadow process (rather than the old one processing everything) because a report
depends on the whole input its engine saw — the books, each account's limits, its
``seq`` and ``event_index`` — so only an engine given the same input must give the same
reports. After each step the guards are judged: any mismatch, the new build's P99 above
``guard_p99_us``, or above ``guard_p99_factor`` × its shadow's (the old build on the same
input). A breach ends the shift at that step; later steps are not run.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from hotpath_format import EventFile
from hotpath_lab import environment, units
from hotpath_lab.atomic import atomic_write_bytes
from hotpath_lab.inspection import summarize
from hotpath_lab.shadow import describe_event, describe_report, first_divergence
from hotpath_lab.storage import decode, document_bytes, new_results_folder
from hotpath_lab.storage.folders import utc_timestamp
from hotpath_lab.storage.run_model import Environment, Scenario
from hotpath_lab.wire.canary_model import (
    Canary,
    CanaryFiles,
    CanarySettings,
    CanaryStep,
    GuardTrip,
    SideFigures,
)
from hotpath_lab.wire.client import GatewayLink, zmq_context
from hotpath_lab.wire.fanout import (
    DEFAULT_MAX_BATCH,
    DEFAULT_WINDOW,
    Lane,
    finish_all,
    play,
    start_all,
)
from hotpath_lab.wire.partition import route
from hotpath_lab.wire.perturb import perturbed
from hotpath_lab.wire.process import RunningGateway
from hotpath_lab.wire.session import started
from hotpath_lab.wire.targets import TARGETS, GatewayShape
from hotpath_lab.wire.tee import PARK

CANARY_JSON = "canary.json"
CANARY_MD = "canary.md"
DEFAULT_STEPS: tuple[float, ...] = (1, 10, 50, 100)
MEASURED = (
    "per order request: its EVENTS frame handed to the router's socket → that frame's "
    "REPORTS read by the router (Python, pyzmq), window {window}, {max_batch} events per "
    "frame, as fast as the window allows; through the router, not the gateway's own figure"
)
SIDES = ("old", "new", "shadow")

StepProgress = Callable[[float], None]


@dataclass(frozen=True)
class CanaryPlan:
    old: str = "wire-python"
    new: str = "wire-rust"
    steps_pct: tuple[float, ...] = DEFAULT_STEPS
    events: int | None = None
    guard_p99_us: float | None = None
    guard_p99_factor: float | None = None
    perturb_event: int | None = None
    window: int = DEFAULT_WINDOW
    max_batch: int = DEFAULT_MAX_BATCH
    shape: GatewayShape = PARK
    scale: float = 1.0
    seed: int | None = None

    def check(self) -> None:
        """Raises ``ValueError`` naming the option no shift can use."""
        for option, name in (("--old", self.old), ("--new", self.new)):
            if name not in TARGETS or TARGETS[name].kind != "gateway":
                raise ValueError(f"{option}: {name!r} is not a gateway (wire-rust, wire-python)")
        if not self.steps_pct:
            raise ValueError("--steps: name at least one share")
        for share in self.steps_pct:
            if not 0 < share <= 100:
                raise ValueError(f"--steps: {share:g} is not a share in (0, 100] percent")
        if list(self.steps_pct) != sorted(set(self.steps_pct)):
            raise ValueError("--steps: shares must rise, each once (e.g. 1,10,50,100)")
        if self.guard_p99_us is not None and not self.guard_p99_us > 0:
            raise ValueError(f"--guard-p99-us must be positive, got {self.guard_p99_us:g}")
        if self.guard_p99_factor is not None and not self.guard_p99_factor > 0:
            raise ValueError(f"--guard-p99-factor must be positive, got {self.guard_p99_factor:g}")
        if self.window < 1 or not 1 <= self.max_batch <= 4096:
            raise ValueError("--window must be at least 1 and --max-batch in 1..4096")
        if self.events is not None and self.events < 1:
            raise ValueError(f"--events must be at least 1, got {self.events}")


def run_canary(
    scenario: EventFile,
    plan: CanaryPlan,
    results_root: Path,
    *,
    progress: StepProgress | None = None,
) -> Path:
    """The shift, step by step, until a guard trips; returns the canary folder."""
    plan.check()
    records = np.asarray(scenario.records[: plan.events] if plan.events else scenario.records)
    if plan.perturb_event is not None and not 0 <= plan.perturb_event < len(records):
        raise ValueError(f"--perturb-event {plan.perturb_event}: events are 0..{len(records) - 1}")
    env = environment.collect()
    summary = summarize(scenario)
    name = summary.name or scenario.path.stem
    started_at = time.time()
    with new_results_folder(results_root, name, "canary-", env["git"]["short"], started_at) as (
        final,
        staging,
    ):
        steps = _shift(scenario, records, plan, staging, progress)
        from hotpath_lab.plots.canary import plot_canary

        png, svg = plot_canary(steps, plan.new, name, staging / "canary")
        stopped = next((s.share_pct for s in steps if s.tripped), None)
        canary = Canary(
            canary_id=final.name,
            created_utc=utc_timestamp(started_at),
            duration_s=time.time() - started_at,
            scenario=Scenario.of(summary),
            environment=decode(Environment, env, "environment"),
            settings=_settings(plan, len(records)),
            steps=tuple(steps),
            completed=stopped is None and len(steps) == len(plan.steps_pct),
            stopped_at_pct=stopped,
            measured=MEASURED.format(window=plan.window, max_batch=plan.max_batch),
            files=CanaryFiles(chart_png=png.name, chart_svg=svg.name, report_md=CANARY_MD),
        )
        from hotpath_lab.wire.canary_report import canary_markdown

        atomic_write_bytes(staging / CANARY_JSON, document_bytes(canary))
        atomic_write_bytes(staging / CANARY_MD, canary_markdown(canary).encode())
    return final


def _settings(plan: CanaryPlan, events: int) -> CanarySettings:
    return CanarySettings(
        old=plan.old,
        new=plan.new,
        steps_pct=plan.steps_pct,
        events=events,
        guard_p99_us=plan.guard_p99_us,
        guard_p99_factor=plan.guard_p99_factor,
        perturb_event=plan.perturb_event,
        window=plan.window,
        max_batch=plan.max_batch,
        poll=plan.shape.poll,
        scale=plan.scale,
        seed=plan.seed,
    )


def _shift(
    scenario: EventFile,
    records: np.ndarray,
    plan: CanaryPlan,
    folder: Path,
    progress: StepProgress | None,
) -> list[CanaryStep]:
    new_records = (
        records
        if plan.perturb_event is None
        else perturbed(records, plan.perturb_event, scenario.meta)
    )
    steps: list[CanaryStep] = []
    builds = {"old": plan.old, "new": plan.new, "shadow": plan.old}
    with contextlib.ExitStack() as stack:
        ctx = stack.enter_context(zmq_context())
        gateways: dict[str, RunningGateway] = {}
        links: dict[str, GatewayLink] = {}
        for side, build in builds.items():
            log = folder / f"gateway-{side}-{build}.log"
            gw = stack.enter_context(started(TARGETS[build], plan.shape, log, core=None))
            assert gw.listening is not None
            gateways[side] = gw
            links[side] = GatewayLink(f"{side} ({build})", gw.listening.endpoint, ctx)
            stack.callback(links[side].close)
        for share in plan.steps_pct:
            if progress is not None:
                progress(share)
            step = _step(scenario, records, new_records, share, plan, links, builds)
            steps.append(step)
            if step.tripped:
                break
        for gw in gateways.values():
            gw.stop()
    return steps


def _step(
    scenario: EventFile,
    records: np.ndarray,
    new_records: np.ndarray,
    share: float,
    plan: CanaryPlan,
    links: dict[str, GatewayLink],
    builds: dict[str, str],
) -> CanaryStep:
    began = time.monotonic()
    routing = route(records, len(scenario.meta.accounts), share)
    old_idx, new_idx = np.flatnonzero(routing.to_old), np.flatnonzero(routing.to_new)
    lanes = {
        "old": Lane("old", links["old"], records[old_idx], old_idx, plan.max_batch),
        "new": Lane("new", links["new"], new_records[new_idx], new_idx, plan.max_batch),
        "shadow": Lane("shadow", links["shadow"], records[new_idx], new_idx, plan.max_batch),
    }
    # a side given no event at all (impossible while market data exists) has no session
    active = [lane for lane in lanes.values() if len(lane.records)]
    compare = Comparison(lanes["new"], lanes["shadow"])
    start_all(active, scenario.meta)
    play(active, compare.on_answer, window=plan.window)
    finish_all(active)
    sides = {side: _figures(lane, builds[side]) for side, lane in lanes.items()}
    compare.check_digests(sides["new"].digest, sides["shadow"].digest)
    step = CanaryStep(
        share_pct=share,
        new_accounts=routing.new_accounts,
        account_share=routing.account_share,
        order_share=routing.order_share,
        sides=sides,
        mismatches=compare.mismatches,
        first_mismatch=compare.first,
        tripped=(),
        duration_s=time.monotonic() - began,
    )
    return replace(step, tripped=guards(step, plan))


def guards(step: CanaryStep, plan: CanaryPlan) -> tuple[GuardTrip, ...]:
    """The guards ``step`` breaches under ``plan``."""
    trips = []
    if step.mismatches:
        trips.append(
            GuardTrip(guard="mismatch", why=f"{step.mismatches:,} reports differ from the shadow")
        )
    new_p99 = step.sides["new"].latency.p99
    if plan.guard_p99_us is not None and new_p99 > plan.guard_p99_us * 1000:
        trips.append(
            GuardTrip(
                guard="p99",
                why=f"new P99 {units.latency(new_p99)} > {units.latency(plan.guard_p99_us * 1e3)}",
            )
        )
    shadow_p99 = step.sides["shadow"].latency.p99
    if plan.guard_p99_factor is not None and new_p99 > plan.guard_p99_factor * shadow_p99:
        trips.append(
            GuardTrip(
                guard="p99-factor",
                why=f"new P99 {units.latency(new_p99)} > {plan.guard_p99_factor:g} × the "
                f"shadow's {units.latency(shadow_p99)}",
            )
        )
    return tuple(trips)


class Comparison:
    """The new build's answers against its shadow's, frame by frame as both arrive."""

    def __init__(self, new: Lane, shadow: Lane) -> None:
        self.new, self.shadow = new, shadow
        self.compared = 0
        self.mismatches = 0
        self.first: str | None = None

    def on_answer(self, lane: Lane, k: int, reports: np.ndarray) -> bool:
        while self.compared < min(len(self.new.answers), len(self.shadow.answers)):
            j = self.compared
            self.compared += 1
            differ = records_differing(self.shadow.answers[j], self.new.answers[j])
            if differ and self.first is None:
                self.first = self._describe(j)
            self.mismatches += differ
        return True  # a canary step always runs to its end: the count is per step

    def check_digests(self, new: str, shadow: str) -> None:
        """Every record agreed: the FINISHED digests must too (else one mismatch)."""
        if new != shadow and not self.mismatches:
            self.mismatches = 1
            self.first = f"FINISHED digests differ: shadow {shadow}, new {new}"

    def _describe(self, j: int) -> str:
        a = np.concatenate(self.shadow.answers[: j + 1])
        b = np.concatenate(self.new.answers[: j + 1])
        d = first_divergence(a, b)
        assert d is not None
        event = self.new.scenario_event(d.event_index)
        return (
            f"input event {event} ({describe_event(event, self.shadow.records[d.event_index])}): "
            f"shadow {describe_report(d.a)}; new {describe_report(d.b)}"
        )


def records_differing(a: np.ndarray, b: np.ndarray) -> int:
    """Report records that differ position by position, and those only one side has."""
    n = min(len(a), len(b))
    size = a.dtype.itemsize
    rows_a = np.ascontiguousarray(a[:n]).view(np.uint8).reshape(n, size)
    rows_b = np.ascontiguousarray(b[:n]).view(np.uint8).reshape(n, size)
    return int((rows_a != rows_b).any(axis=1).sum()) + abs(len(a) - len(b))


def _figures(lane: Lane, build: str) -> SideFigures:
    return SideFigures(
        build=build,
        events=len(lane.records),
        orders=lane.orders,
        frames=lane.frames,
        reports=sum(len(a) for a in lane.answers),
        digest=str(lane.finished["digest"]) if lane.finished else "",
        latency=lane.order_latency(),
    )
