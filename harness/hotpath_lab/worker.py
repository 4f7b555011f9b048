"""One build, one process: warm-up, timed pass, throughput pass, overhead pass.

The orchestrator (``hotpath bench``) starts ``python -m hotpath_lab.worker JOB.json
[PROGRESS_FILE]`` per build so that CPU time, peak RSS and GC activity belong to that build
alone. Progress goes through shared memory (``progress_channel``); results go to files in
the job's ``out`` folder.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from hotpath_format import EventKind, ScenarioMeta, order_capacity, read_events, report_digest
from hotpath_lab.atomic import atomic_write_bytes
from hotpath_lab.drivers.builds import BUILTIN, overhead_build
from hotpath_lab.drivers.plugin import (
    AnyBuild,
    Build,
    DropCopyTarget,
    PassTimes,
    SelfDrivenBuild,
    load_build,
)
from hotpath_lab.drivers.python_loop import feed, run_pass
from hotpath_lab.options import Job, RunOptions, drop_copy_row
from hotpath_lab.outcomes import count_outcomes
from hotpath_lab.pacing import Pace
from hotpath_lab.progress_channel import ProgressChannel
from hotpath_lab.recorders.gc import GcEvents, GcRecorder, tail_overlap
from hotpath_lab.recorders.resources import CpuSnapshot, current_rss_bytes, peak_rss_bytes

ORDER_KINDS = (EventKind.NEW_ORDER, EventKind.CANCEL, EventKind.REPLACE)


_channel: ProgressChannel | None = None
"""Where progress goes (shared memory; never a pipe while a pass is being measured)."""


def progress(phase: str) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        if _channel is not None:
            _channel.write(phase, done, total)

    return report


@dataclass
class PassResult:
    times: PassTimes
    reports: np.ndarray
    cpu: dict[str, float]
    gc: GcEvents


def run_worker(job: Job) -> dict[str, Any]:
    options = job.options
    if job.kind == "memory":
        scenario = read_events(job.scenario_path)
        build = load_build(job.build, BUILTIN)
        memory = _memory_pass(build, scenario.meta, scenario.records)
        return {"build": build.name, "memory": memory}
    scenario = read_events(job.scenario_path)
    records = scenario.records
    meta = scenario.meta
    kinds = np.asarray(records["kind"])
    is_order = np.isin(kinds, ORDER_KINDS)
    n_orders = int(is_order.sum())
    pace = Pace.parse(options.pace, options.speed)
    build = load_build(job.build, BUILTIN)
    rss_before = current_rss_bytes()
    jitter = _probe_jitter(options.jitter_seconds)

    target = None
    if job.drop_copy is not None:  # the timed pass publishes (docs/dropcopy.md)
        from hotpath_lab.dropcopy.index import announce_start

        dc = job.drop_copy
        target = (dc.url, dc.prefix, options.snapshot_every)
        announce_start(dc.url, dc.run_id, drop_copy_row(build.name), dc.prefix, dc.scenario)
    if isinstance(build, SelfDrivenBuild):
        timed, throughput, overhead = _self_driven_passes(
            build, options, meta, records, pace, target
        )
    else:
        timed, throughput, overhead = _python_passes(build, options, meta, records, pace, target)

    out = Path(job.out)
    from hotpath_toolkit import record_timings

    t = timed.times
    rec = record_timings(
        kinds,
        t.intended,
        t.start,
        t.end,
        t.validated,
        t.risked,
        t.executed,
        t.t0,
        options.interval_ns,
        time.time(),
    )
    name = build.name if job.drop_copy is None else drop_copy_row(build.name)
    hgrm_files: dict[str, str] = {}
    files: dict[str, Any] = {"hlog": f"{name}.hlog", "hgrm": hgrm_files, "gc_csv": f"gc-{name}.csv"}
    atomic_write_bytes(out / files["hlog"], rec["hlog"].encode())
    for metric, text in rec["hgrm"].items():
        fname = f"{name}.hgrm" if metric == "e2e" else f"{name}.{metric}.hgrm"
        atomic_write_bytes(out / fname, text.encode())
        hgrm_files[metric] = fname
    atomic_write_bytes(out / files["gc_csv"], timed.gc.to_csv(t.t0).encode())

    digest = report_digest(timed.reports)
    e2e = (t.end - t.intended).astype(np.int64)
    gc_summary = timed.gc.summary()
    gc_summary["tail_overlap"] = tail_overlap(
        t.intended[is_order], t.end[is_order], e2e[is_order], timed.gc, options.tail_share
    )
    gc_summary["tail_overlap_levels"] = {  # the same at 1% / 0.1% / 0.01% (reporting.tail)
        str(share): tail_overlap(
            t.intended[is_order], t.end[is_order], e2e[is_order], timed.gc, share
        )
        for share in (0.01, 0.001, 0.0001)
    }
    result: dict[str, Any] = {
        "build": name,
        "spec": job.build,
        "description": build.description,
        "driver": "self-driven" if isinstance(build, SelfDrivenBuild) else "python-asyncio-loop",
        "events": len(records),
        "order_requests": n_orders,
        "digest": digest,
        "reports": len(timed.reports),
        "outcomes": count_outcomes(timed.reports).to_json(),
        "latency_ns": rec["summaries"],
        "timed_pass": {
            **timed.cpu,
            "t0_ns": t.t0,  # time 0 of the .hlog and gc/cpu CSVs (CLOCK_MONOTONIC)
            "pace": pace.spec,
            "speed": options.speed,
            "spin_s": t.spin_ns / 1e9,
            "spin_lost_s": t.spin_lost_ns / 1e9,
            "busy_cpu_utilisation": busy_share(t, timed.cpu["cpu_s"], timed.cpu["wall_s"]),
            "late_dispatch_ns": _late_dispatch(t),
        },
        "gc": gc_summary,
        "memory": {
            "rss_before_bytes": rss_before,
            "peak_rss_bytes": peak_rss_bytes(),
            "timing_arrays_bytes": t.nbytes,
        },
        "warmup_events": min(options.warmup, len(records)),
        "files": files,
    }
    if jitter is not None:
        result["jitter"] = jitter
    if job.drop_copy is not None:  # after the figures above: reading back costs memory
        from hotpath_lab.dropcopy.figures import drop_copy_figures

        result["drop_copy"] = drop_copy_figures(
            job.drop_copy, t.drop_copy, timed.reports, options.snapshot_every
        )
    if not getattr(build, "shadow_equal", True):  # a peer (docs/peers.md)
        from hotpath_lab.peers.figures import peer_figures

        result["peer"] = peer_figures(build, records, timed.reports, t)
    if throughput is not None:
        tp_digest = report_digest(throughput.reports)
        result["throughput"] = {
            **throughput.cpu,
            "events_per_s": len(records) / max(throughput.cpu["wall_s"], 1e-12),
            "orders_per_s": n_orders / max(throughput.cpu["wall_s"], 1e-12),
            "cpu_per_order_ns": throughput.cpu["cpu_s"] * 1e9 / max(1, n_orders),
            "cpu_per_event_ns": throughput.cpu["cpu_s"] * 1e9 / max(1, len(records)),
            "digest": tp_digest,
            "gc": throughput.gc.summary(),
        }
    if overhead is not None:
        o = overhead.times
        result["overhead_ns"] = {
            "events": len(o.end),
            "rate_per_s": options.overhead_rate,
            "latency": _quick_summary(o.end, o.intended),
            "service": _quick_summary(o.end, o.start),
        }
    return result


MAX = Pace.parse("max")


def _python_passes(
    build: Build,
    options: RunOptions,
    meta: ScenarioMeta,
    records: np.ndarray,
    pace: Pace,
    drop_copy: DropCopyTarget | None = None,
) -> tuple[PassResult, PassResult | None, PassResult | None]:
    n = len(records)
    capacity = order_capacity(records)

    def one_pass(
        p: Pace,
        phase: str,
        *,
        stage_timing: bool,
        limit: int | None = None,
        empty: bool = False,
        drop_copy: DropCopyTarget | None = None,
    ) -> tuple[PassTimes, np.ndarray]:
        chosen = overhead_build(build, meta) if empty else build
        pipeline = chosen.create(meta, n, stage_timing=stage_timing, expected_orders=capacity)
        if drop_copy is not None:
            pipeline.start_drop_copy(*drop_copy)  # type: ignore[attr-defined]
        times = run_pass(pipeline, records, p, limit=limit, progress=progress(phase))
        if drop_copy is not None:  # every report out before the pass's CPU time is read
            times.drop_copy = pipeline.finish_drop_copy()  # type: ignore[attr-defined]
        return times, pipeline.report_array()

    return _passes(one_pass, options, pace, getattr(build, "warmed_up", None), drop_copy)


def _self_driven_passes(
    build: SelfDrivenBuild,
    options: RunOptions,
    meta: ScenarioMeta,
    records: np.ndarray,
    pace: Pace,
    drop_copy: DropCopyTarget | None = None,
) -> tuple[PassResult, PassResult | None, PassResult | None]:
    def one_pass(
        p: Pace,
        phase: str,
        *,
        stage_timing: bool,
        limit: int | None = None,
        empty: bool = False,
        drop_copy: DropCopyTarget | None = None,
    ) -> tuple[PassTimes, np.ndarray]:
        extra = {} if drop_copy is None else {"drop_copy": drop_copy}  # plug-ins may lack it
        return build.drive(
            meta,
            records,
            p,
            stage_timing=stage_timing,
            limit=limit,
            empty=empty,
            progress=progress(phase),
            **extra,
        )

    return _passes(one_pass, options, pace, getattr(build, "warmed_up", None), drop_copy)


PassFn = Callable[..., tuple[PassTimes, np.ndarray]]


def _passes(
    one_pass: PassFn,
    options: RunOptions,
    pace: Pace,
    warmed_up: Callable[[], object] | None = None,
    drop_copy: DropCopyTarget | None = None,
) -> tuple[PassResult, PassResult | None, PassResult | None]:
    """Warm-up (discarded), timed pass, throughput pass, overhead pass; fresh engine each.

    ``warmed_up``: the build's optional hook (docs/measurement.md), called once between the
    warm-up and the timed pass (even with no warm-up), so its policy covers every pass after.
    ``drop_copy``: where the timed pass publishes (it alone does; docs/dropcopy.md).
    """
    if options.warmup > 0:
        one_pass(MAX, "warmup", stage_timing=False, limit=options.warmup)
    if warmed_up is not None:
        warmed_up()
    timed = _timed(lambda: one_pass(pace, "timed", stage_timing=True, drop_copy=drop_copy))
    throughput = None
    if options.throughput and pace.open_loop:
        throughput = _timed(lambda: one_pass(MAX, "throughput", stage_timing=False))
    overhead = None
    if options.overhead:
        rate = Pace.parse(f"rate:{options.overhead_rate}")
        times, reports = one_pass(
            rate, "overhead", stage_timing=False, limit=options.overhead_events, empty=True
        )
        overhead = PassResult(times, reports, {}, GcEvents.empty())
    return timed, throughput, overhead


def _timed(run: Callable[[], tuple[PassTimes, np.ndarray]]) -> PassResult:
    """Runs one pass with GC events and CPU time recorded around it."""
    gc.collect()
    recorder = GcRecorder()
    recorder.start()
    before = CpuSnapshot.take()
    times, reports = run()
    after = CpuSnapshot.take()
    events = recorder.stop()
    return PassResult(times, reports, after.since(before), events)


def _memory_pass(build: AnyBuild, meta: ScenarioMeta, records: np.ndarray) -> dict[str, int]:
    """What the engine itself holds after the whole session: resident growth across a
    replay that keeps the engine alive and allocates nothing else (no timing arrays: the
    harness's memory is not the build's). Runs in a fresh worker process."""
    capacity = order_capacity(records)
    gc.collect()
    before = current_rss_bytes()
    engine: Any
    if isinstance(build, SelfDrivenBuild):
        engine, reports = build.retain(meta, records)
    else:
        engine = build.create(meta, len(records), stage_timing=False, expected_orders=capacity)
        feed(engine, records)
        reports = len(engine.report_array())
    gc.collect()
    after = current_rss_bytes()
    del engine
    return {"engine_rss_bytes": max(0, after - before), "engine_reports": reports}


def busy_share(t: PassTimes, cpu_s: float, wall_s: float) -> float:
    """Share of one core the build used in the timed pass: the worker's CPU time minus the
    CPU the driver's busy-polling took, over the pass's wall time.

    The polling's CPU is its wall time minus the gaps in which the polling thread was not
    running (it reads the clock in a tight loop, so it sees every gap, as the noise-floor
    probe does). Subtracting the polling's *wall* time instead made every build read 0 %
    on a loaded machine, where the polling thread is often descheduled. Clamped at 0: the
    estimate can exceed the true polling CPU only by gaps shorter than the threshold.
    """
    if wall_s <= 0:
        return 0.0
    spin_cpu_s = max(0, t.spin_ns - t.spin_lost_ns) / 1e9
    return max(0.0, cpu_s - spin_cpu_s) / wall_s


def _probe_jitter(seconds: float) -> dict[str, Any] | None:
    """The machine's noise floor in this process, just before it is measured: how often a
    spinning thread is interrupted and what share of time it loses. Orders that arrive
    inside an interruption wait it out, so percentiles beyond ``1 - stolen_share`` are set
    by the machine, whatever the build."""
    if seconds <= 0:
        return None
    import hotpath_toolkit

    return hotpath_toolkit.measure_jitter(seconds)


def _late_dispatch(t: PassTimes) -> dict[str, float]:
    """How late events were handed to the pipeline (start − intended), summarised from an
    HDR histogram like every ``latency_ns`` figure (an early start counts as 0)."""
    return _quick_summary(t.start, t.intended)


def _quick_summary(later: np.ndarray, earlier: np.ndarray) -> dict[str, float]:
    """The HDR summary of ``later - earlier`` per event (the recorder's rule, not numpy's)."""
    from hotpath_toolkit import summarize_gaps

    return summarize_gaps(later, earlier)


def main(argv: list[str] | None = None) -> int:
    global _channel
    args = sys.argv[1:] if argv is None else argv
    if len(args) not in (1, 2):
        print("usage: python -m hotpath_lab.worker JOB.json [PROGRESS_FILE]", file=sys.stderr)
        return 2
    job = Job.load(args[0])
    if len(args) == 2:
        _channel = ProgressChannel(args[1])
    gc.collect()
    result = run_worker(job)
    atomic_write_bytes(
        Path(job.out) / f"{result['build']}.result.json",
        json.dumps(result, indent=2, sort_keys=True).encode(),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
