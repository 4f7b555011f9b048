"""``hotpath bench --mode wire``: the floors and each gateway build over the wire, in one
run folder.

Each target is its own process, started on a free loopback port, pinned to the gateway's
core and driven by ``hotpath-loadgen`` on the other core with the run's pacing (a warm-up
session, then the timed session over the whole scenario). The floors go first, then the
builds, one after the other (never two at once: they would share the cores). The run
folder is assembled in a staging folder and renamed into place, as ``hotpath bench``'s.

Every run checks digests: each gateway's reports (the generator's digest and the gateway's
own) must be the in-process reports of the same scenario; ``run.agree`` is false when one
is not, and the command exits 1, as ``hotpath shadow`` does.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from hotpath_format import EventFile, read_reports
from hotpath_lab import environment
from hotpath_lab.atomic import first_free_directory
from hotpath_lab.dropcopy.figures import wire_drop_copy_figures
from hotpath_lab.dropcopy.index import announce_end, announce_start
from hotpath_lab.dropcopy.run import drop_copy_server
from hotpath_lab.inspection import summarize
from hotpath_lab.options import OptionsError, RunOptions, drop_copy_row
from hotpath_lab.pacing import Pace
from hotpath_lab.storage import BuildResult, Run, decode, new_run_id, run_folders, write_run
from hotpath_lab.storage.dropcopy_model import DropCopyFigures
from hotpath_lab.storage.folders import utc_timestamp
from hotpath_lab.storage.run_model import Environment, FloorResult, Scenario
from hotpath_lab.storage.wire_model import WireRun, WireSettings
from hotpath_lab.wire.affinity import Placement
from hotpath_lab.wire.binaries import GATEWAY, LOADGEN, binary
from hotpath_lab.wire.digest_check import divergence, gateway_agrees, reference_digest
from hotpath_lab.wire.figures import floor_multiples, wire_ratios
from hotpath_lab.wire.loadgen import LoadgenRequest
from hotpath_lab.wire.results import build_result, floor_result
from hotpath_lab.wire.session import BIND_HOST, measure
from hotpath_lab.wire.targets import FLOORS, TARGETS, GatewayShape, check_python_gateway

PhaseProgress = Callable[[str, str, int, int], None]
"""``progress(target, phase, done, total)``"""


@dataclass(frozen=True)
class WireBenchSettings:
    """What a wire run adds to ``RunOptions``."""

    shape: GatewayShape
    placement: Placement
    max_batch: int | None = None
    window: int | None = None
    timeout_s: float | None = None


def check_wire_targets(names: list[str]) -> None:
    """Raises ``BuildSpecError`` (exit 2) naming what a wire run of ``names`` lacks: the
    two Rust programs, or the Python gateway module."""
    binary(GATEWAY)
    binary(LOADGEN)
    if "wire-python" in names:
        check_python_gateway()


def expected_seconds(scenario: EventFile, pace: Pace, events: int) -> float:
    """How long a timed session of ``events`` events should take at ``pace`` (0: unknown)."""
    ts = scenario.records["ts"]
    if not events:
        return 0.0
    if pace.kind == "recorded":
        return float(int(ts[events - 1]) - int(ts[0])) / 1e9 / pace.speed
    if pace.kind == "rate":
        return events / pace.per_sec
    return 0.0


def run_wire_bench(
    scenario: EventFile,
    options: RunOptions,
    settings: WireBenchSettings,
    results_root: Path,
    *,
    progress: PhaseProgress | None = None,
) -> Path:
    """Measures the floors and ``options.builds`` over the wire (each gateway twice with
    ``--drop-copy``: off, then publishing, as ``<gateway>@drop-copy``); returns the run
    folder."""
    options.check()
    if options.drop_copy_restart is not None:
        raise OptionsError("--drop-copy-restart is for in-process runs (docs/dropcopy.md)")
    builds = list(options.builds)
    check_wire_targets(builds)
    pace = Pace.parse(options.pace, options.speed)
    env = environment.collect()
    summary = summarize(scenario)
    candidates = run_folders(
        results_root, summary.name or scenario.path.stem, new_run_id(env["git"]["short"])
    )
    started = time.time()
    if progress is not None:
        progress("reference", "in process", 0, 1)
    reference = reference_digest(scenario)
    if progress is not None:
        progress("reference", "in process", 1, 1)
    expected = expected_seconds(scenario, pace, len(scenario.records))
    warmup = min(options.warmup, len(scenario.records))
    with (
        first_free_directory(candidates) as (final, staging),
        drop_copy_server(options.drop_copy) as redis,
    ):
        run_id = final.name  # the second run started in the same second is <id>-2
        measured: dict[str, BuildResult | FloorResult] = {}
        for name in [*FLOORS, *builds]:
            target = TARGETS[name]

            def tick(elapsed: float, total: float, name: str = name) -> None:
                if progress is not None:
                    progress(name, "over the wire", int(elapsed), int(total))

            request = LoadgenRequest(
                scenario=scenario.path,
                connect="",  # where the started gateway listens
                out=staging,
                label=name,
                target=target.loadgen_target,
                pace=pace.spec,
                speed=options.speed,
                warmup=warmup,
                max_batch=settings.max_batch,
                window=settings.window,
                cpu=settings.placement.loadgen,
                timeout_s=settings.timeout_s,
                interval_ns=options.interval_ns,
            )
            m = measure(
                target,
                settings.shape,
                request,
                core=settings.placement.gateway,
                expected_s=expected,
                ticker=tick,
            )
            convert = build_result if target.kind == "gateway" else floor_result
            measured[name] = convert(m, staging, loadgen_cpu=settings.placement.loadgen)
            if progress is not None:
                progress(name, "over the wire", int(expected) or 1, int(expected) or 1)
            if redis is not None and target.kind == "gateway":  # again, publishing
                row = drop_copy_row(name)
                prefix = f"hotpath:{run_id}:{row}"
                # the generator's warm-up, if any, is the gateway's first session
                timed = f"{prefix}:session-{2 if warmup else 1}"
                announce_start(redis.url, run_id, row, timed, summary.name or scenario.path.stem)
                m = measure(
                    target,
                    settings.shape,
                    replace(request, label=row),
                    core=settings.placement.gateway,
                    expected_s=expected,
                    ticker=tick,
                    drop_copy=(redis.url, prefix, options.snapshot_every),
                )
                result = build_result(m, staging, loadgen_cpu=settings.placement.loadgen, name=row)
                received = read_reports(m.output.path(m.output.hpr or "")).records
                figures = wire_drop_copy_figures(
                    redis.url, timed, m.stopped, received, options.snapshot_every
                )
                measured[row] = replace(
                    result, drop_copy=decode(DropCopyFigures, figures, f"drop-copy of {row}")
                )
                announce_end(redis.url, timed, result.reports)
        gateways = {b: r for b, r in measured.items() if isinstance(r, BuildResult)}
        floors = {f: r for f, r in measured.items() if isinstance(r, FloorResult)}
        gateway_digests = {
            b: str((r.wire.finished or {}).get("digest", "")) if r.wire else ""
            for b, r in gateways.items()
        }
        divergences = {
            b: divergence(scenario, reference, staging / (r.files.reports or ""))
            for b, r in gateways.items()
            if not gateway_agrees(reference, r, gateway_digests[b])
        }
        run = Run(
            mode="wire",
            run_id=run_id,
            created_utc=utc_timestamp(started),
            duration_s=time.time() - started,
            scenario=Scenario.of(summary),
            options=options,
            environment=decode(Environment, env, "environment"),
            builds=gateways,
            digests={b: r.digest for b, r in gateways.items()},
            agree=not divergences,
            ratios=wire_ratios(gateways),
            floors=floors,
            wire=WireRun(
                reference=reference,
                gateway_digests=gateway_digests,
                divergences=divergences,
                floor_multiples=floor_multiples({**floors, **gateways}),
                settings=WireSettings(
                    engine=settings.shape.engine,
                    poll=settings.shape.poll,
                    max_batch=settings.max_batch,
                    window=settings.window,
                    gateway_cpu=settings.placement.gateway,
                    loadgen_cpu=settings.placement.loadgen,
                    bind_host=BIND_HOST,
                    gateway_binary=str(binary(GATEWAY)),
                    loadgen_binary=str(binary(LOADGEN)),
                ),
            ),
        )
        write_run(staging, run)
        from hotpath_lab.reporting.report import write_report_safely

        write_report_safely(staging, results_root)
    return final
