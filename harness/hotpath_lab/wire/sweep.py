"""``hotpath sweep``: step the offered rate, find where each target stops keeping up.

For each target, one process serves every step (restarted after a step that broke it);
each step is one generator run at ``--pace rate:R``: a warm-up session, then a timed
session of ``R × step_seconds`` events (at most the whole scenario), a fresh engine each
time. Steps go from the lowest rate up; a target stops after ``stop_after_failures``
consecutive steps it did not sustain (``wire.sustain``). The sweep folder
(``results/<scenario>/sweep-<utc>-<sha>/``: ``sweep.json``, ``knee.png``/``.svg``, each
step's generator files under ``<target>/``) is assembled in a staging folder and renamed
into place.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from hotpath_format import EventFile
from hotpath_lab import environment
from hotpath_lab.atomic import atomic_write_bytes
from hotpath_lab.inspection import summarize
from hotpath_lab.reporting.hlog import read_interval_log
from hotpath_lab.storage import decode, document_bytes, new_results_folder
from hotpath_lab.storage.folders import utc_timestamp
from hotpath_lab.storage.run_model import Environment, Scenario
from hotpath_lab.storage.sweep_model import (
    SustainRule,
    Sweep,
    SweepFiles,
    SweepSettings,
    SweepStep,
    SweepTarget,
)
from hotpath_lab.wire.bench import WireBenchSettings, check_wire_targets
from hotpath_lab.wire.loadgen import LoadgenFailed, LoadgenRequest
from hotpath_lab.wire.process import GatewayFailed, RunningGateway
from hotpath_lab.wire.results import gateway_process
from hotpath_lab.wire.session import Measurement, measure_on, started
from hotpath_lab.wire.sustain import (
    StepFigures,
    interval_ns,
    judge,
    low_load_p99,
    sustained_max,
    typical_p99,
)
from hotpath_lab.wire.targets import TARGETS, WireTarget

SWEEP_JSON = "sweep.json"
DEFAULT_RATES: tuple[float, ...] = (
    10_000, 30_000, 100_000, 200_000, 300_000, 500_000, 700_000, 1_000_000, 1_500_000, 2_000_000,
)  # fmt: skip
"""The default ladder: the case study's 10k and 100k messages/s, then up through the goal
of 500k to where a loopback ZeroMQ round trip on one core gives out."""
STEP_SECONDS = 3.0
SWEEP_WARMUP = 10_000

StepProgress = Callable[[str, float, int, int], None]
"""``progress(target, rate, elapsed_s, expected_s)``"""


@dataclass(frozen=True)
class SweepPlan:
    targets: tuple[str, ...]
    rates: tuple[float, ...]
    wire: WireBenchSettings
    """The gateway's shape, the cores and the generator's framing, as for a wire run."""
    step_seconds: float = STEP_SECONDS
    warmup: int = SWEEP_WARMUP
    rule: SustainRule = field(default_factory=SustainRule)
    stop_after_failures: int = 2
    scale: float = 1.0
    seed: int | None = None


def step_events(rate: float, seconds: float, available: int) -> int:
    return max(1, min(available, math.ceil(rate * seconds)))


def short_steps(plan: SweepPlan, available: int) -> list[float]:
    """The rates whose sessions the scenario cannot fill for ``step_seconds``."""
    return [r for r in plan.rates if available < r * plan.step_seconds]


def run_sweep(
    scenario: EventFile,
    plan: SweepPlan,
    results_root: Path,
    *,
    progress: StepProgress | None = None,
) -> Path:
    """Sweeps every target of ``plan``; returns the sweep folder."""
    check_wire_targets(list(plan.targets))
    env = environment.collect()
    summary = summarize(scenario)
    order_share = summary.order_requests / max(1, summary.events)
    started_at = time.time()
    with new_results_folder(
        results_root, summary.name or scenario.path.stem, "sweep-", env["git"]["short"], started_at
    ) as (final, staging):
        targets = {
            name: _sweep_target(TARGETS[name], scenario, order_share, plan, staging, progress)
            for name in plan.targets
        }
        from hotpath_lab.plots.knee import plot_knee

        png, svg = plot_knee(targets, summary.name or scenario.path.stem, staging / "knee")
        sweep = Sweep(
            sweep_id=final.name,
            created_utc=utc_timestamp(started_at),
            duration_s=time.time() - started_at,
            scenario=Scenario.of(summary),
            environment=decode(Environment, env, "environment"),
            settings=SweepSettings(
                rates=plan.rates,
                step_seconds=plan.step_seconds,
                warmup=plan.warmup,
                engine=plan.wire.shape.engine,
                poll=plan.wire.shape.poll,
                gateway_cpu=plan.wire.placement.gateway,
                loadgen_cpu=plan.wire.placement.loadgen,
                max_batch=plan.wire.max_batch,
                window=plan.wire.window,
                scale=plan.scale,
                seed=plan.seed,
                stop_after_failures=plan.stop_after_failures,
            ),
            rule=plan.rule,
            targets=targets,
            files=SweepFiles(knee_png=png.name, knee_svg=svg.name),
        )
        write_sweep(staging, sweep)
    return final


def write_sweep(folder: Path, sweep: Sweep) -> Path:
    path = folder / SWEEP_JSON
    atomic_write_bytes(path, document_bytes(sweep))
    return path


def _sweep_target(
    target: WireTarget,
    scenario: EventFile,
    order_share: float,
    plan: SweepPlan,
    staging: Path,
    progress: StepProgress | None,
) -> SweepTarget:
    out = staging / target.name
    steps: list[SweepStep] = []
    failures_in_row = 0
    stopped = "the ladder ended"
    with contextlib.ExitStack() as stack:
        gateway: RunningGateway | None = None
        for i, rate in enumerate(sorted(plan.rates)):
            if gateway is None:
                log = out / f"gateway-{i}.log"
                gateway = stack.enter_context(
                    started(target, plan.wire.shape, log, core=plan.wire.placement.gateway)
                )
            step, broken = _step(gateway, target, scenario, order_share, plan, rate, out, progress)
            baseline = low_load_p99([s.typical_p99_ns for s in steps])
            reasons = judge(_figures(step), baseline, plan.rule)
            steps.append(_with_verdict(step, reasons))
            if broken:  # a step that broke the process: the next one gets a fresh one
                stack.close()
                gateway = None
            failures_in_row = 0 if not reasons else failures_in_row + 1
            if failures_in_row >= plan.stop_after_failures:
                failed = ", ".join(f"{s.rate_per_s:,.0f}/s" for s in steps[-failures_in_row:])
                stopped = f"not sustained {failures_in_row} times in a row ({failed})"
                break
        if gateway is not None:
            with contextlib.suppress(GatewayFailed):
                gateway.stop()
    return SweepTarget(
        target=target.name,
        kind=target.kind,
        steps=tuple(steps),
        baseline_p99_ns=low_load_p99([s.typical_p99_ns for s in steps if s.sustained]),
        sustained_max_per_s=sustained_max([(s.rate_per_s, s.sustained) for s in steps]),
        stopped=stopped,
    )


def _step(
    gateway: RunningGateway,
    target: WireTarget,
    scenario: EventFile,
    order_share: float,
    plan: SweepPlan,
    rate: float,
    out: Path,
    progress: StepProgress | None,
) -> tuple[SweepStep, bool]:
    """One generator run at ``rate``; returns the step (not yet judged) and whether the
    process must be replaced."""
    assert gateway.listening is not None
    available = len(scenario.records)
    events = step_events(rate, plan.step_seconds, available)
    warmup = min(plan.warmup, events)
    label = f"rate-{rate:.0f}"
    interval = interval_ns(rate, order_share)
    request = LoadgenRequest(
        scenario=scenario.path,
        connect=gateway.listening.endpoint,
        out=out,
        label=label,
        target=target.loadgen_target,
        pace=f"rate:{rate:g}",
        warmup=warmup,
        limit=events,
        max_batch=plan.wire.max_batch,
        window=plan.wire.window,
        cpu=plan.wire.placement.loadgen,
        timeout_s=plan.wire.timeout_s,
        interval_ns=interval,
    )

    def tick(elapsed: float, expected: float) -> None:
        if progress is not None:
            progress(target.name, rate, int(elapsed), int(expected))

    try:
        m = measure_on(gateway, target, request, expected_s=(events + warmup) / rate, ticker=tick)
    except LoadgenFailed as exc:
        return _failed_step(rate, events, out, label, str(exc), interval), True
    return _measured_step(m, rate, out, label, interval), False


def _measured_step(m: Measurement, rate: float, out: Path, label: str, interval: int) -> SweepStep:
    r = m.output.report
    g = gateway_process(m)
    e2e_intervals = read_interval_log(m.output.path(m.output.hlog)).get("e2e")
    return SweepStep(
        rate_per_s=rate,
        events=r.scenario.events,
        session_s=r.scenario.events / rate,
        offered_per_s=r.offered_per_s,
        achieved_per_s=r.achieved_per_s,
        e2e=r.latency_ns.e2e,
        typical_p99_ns=typical_p99(e2e_intervals, r.latency_ns.e2e),
        interval_s=interval / 1e9,
        tick_to_book=r.latency_ns.tick_to_book,
        trend=r.trend,
        batch_mean=r.batch_mean,
        send_lag_p99_ns=r.latency_ns.send_lag.p99,
        gateway_cpu_share=g.cpu_share,
        gateway_cpu_per_order_ns=g.cpu_per_order_ns,
        gateway_peak_rss_bytes=g.peak_rss_bytes,
        errors=r.errors,
        digest=r.digest,
        failure=None,
        sustained=False,
        reasons=(),
        folder=out.name,
        label=label,
    )


def _failed_step(
    rate: float, events: int, out: Path, label: str, why: str, interval: int
) -> SweepStep:
    return SweepStep(
        rate_per_s=rate, events=events, session_s=events / rate, offered_per_s=rate,
        achieved_per_s=None, e2e=None, typical_p99_ns=None, interval_s=interval / 1e9,
        tick_to_book=None, trend=None, batch_mean=None,
        send_lag_p99_ns=None,
        gateway_cpu_share=None, gateway_cpu_per_order_ns=None, gateway_peak_rss_bytes=None,
        errors={}, digest=None, failure=why, sustained=False, reasons=(), folder=out.name,
        label=label,
    )  # fmt: skip


def _figures(step: SweepStep) -> StepFigures:
    return StepFigures(
        offered_per_s=step.offered_per_s,
        achieved_per_s=step.achieved_per_s,
        p99_ns=step.typical_p99_ns,
        trend=step.trend,
        errors=step.errors,
        failure=step.failure,
    )


def _with_verdict(step: SweepStep, reasons: tuple[str, ...]) -> SweepStep:
    return replace(step, sustained=not reasons, reasons=reasons)
