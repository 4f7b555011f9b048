"""A ``Measurement`` as the run model's sections: ``WirePass`` for every target, and a
``BuildResult`` (a gateway) or a ``FloorResult`` (a floor), plus the gateway's CPU trace
written as ``cpu-<target>.csv`` beside the generator's files."""

from __future__ import annotations

from pathlib import Path

from hotpath_format import read_reports
from hotpath_lab.atomic import atomic_write_bytes
from hotpath_lab.outcomes import count_outcomes
from hotpath_lab.storage import BuildResult, decode
from hotpath_lab.storage.latency_model import Latencies, LatencySummary
from hotpath_lab.storage.run_model import BuildFiles, CpuSamples, FloorResult, Outcomes
from hotpath_lab.storage.wire_model import GatewayProcess, WirePass
from hotpath_lab.wire.loadgen import LoadgenFailed
from hotpath_lab.wire.loadgen_report import LoadgenReport
from hotpath_lab.wire.sampling import session_cpu, with_phases
from hotpath_lab.wire.session import Measurement

UNOBSERVED = LatencySummary(count=0, min=0, p50=0, p90=0, p99=0, p999=0, p9999=0, max=0, mean=0.0)
"""The stages, seen from outside a gateway: no samples."""


def latencies(report: LoadgenReport) -> Latencies:
    lat = report.latency_ns
    return Latencies(
        e2e=lat.e2e,
        service=lat.service,
        validation=UNOBSERVED,
        risk=UNOBSERVED,
        execution=UNOBSERVED,
        tick_to_book=lat.tick_to_book,
    )


def gateway_process(m: Measurement) -> GatewayProcess:
    report = m.output.report
    cpu = session_cpu(m.trace, report.t0_ns, report.wall_s)
    orders, events = report.scenario.order_requests, report.scenario.events
    return GatewayProcess(
        command=m.command,
        endpoint=m.listening.endpoint,
        pid=m.listening.pid,
        cpu=m.core,
        engine=m.listening.engine,
        poll=m.listening.poll,
        cpu_s=cpu.cpu_s,
        cpu_share=cpu.share,
        cpu_per_order_ns=cpu.cpu_s * 1e9 / orders if orders else None,
        cpu_per_event_ns=cpu.cpu_s * 1e9 / events if events else None,
        lifetime_cpu_s=m.final.cpu_ns / 1e9 if m.final is not None else 0.0,
        peak_rss_bytes=m.peak_rss_bytes,
        stopped=m.stopped,
    )


def wire_pass(m: Measurement, *, loadgen_cpu: int | None) -> WirePass:
    r = m.output.report
    return WirePass(
        target=r.target,
        connect=r.connect,
        pace=r.pace,
        speed=r.speed,
        rate_per_s=r.rate_per_s,
        max_batch=r.max_batch,
        window=r.window,
        frames=r.frames,
        batch_mean=r.batch_mean,
        batch_max=r.batch_max,
        wall_s=r.wall_s,
        offered_per_s=r.offered_per_s,
        achieved_per_s=r.achieved_per_s,
        send_lag_ns=r.latency_ns.send_lag,
        in_flight_max=r.in_flight_max,
        trend=r.trend,
        loadgen_cpu=loadgen_cpu,
        loadgen_cpu_s=r.cpu_s,
        errors=r.errors,
        finished=r.gateway,
        t0_ns=r.t0_ns,
        gateway=gateway_process(m),
    )


def write_cpu_csv(m: Measurement, folder: Path) -> tuple[str, CpuSamples] | None:
    """``cpu-<target>.csv`` (time 0 = the timed session's ``t0``, phases by the generator's
    sessions) and its summary; ``None`` when no sample was taken."""
    r = m.output.report
    trace = with_phases(m.trace, r.t0_ns, r.wall_s)
    if not trace.samples:
        return None
    name = f"cpu-{m.target.name}.csv"
    atomic_write_bytes(folder / name, trace.to_csv(r.t0_ns).encode())
    return name, decode(CpuSamples, trace.summary(r.t0_ns), f"CPU samples of {m.target.name}")


def files(m: Measurement, folder: Path, cpu_csv: str | None) -> BuildFiles:
    out = m.output
    log = m.log.name if m.log is not None and m.log.parent == folder else None
    return BuildFiles(
        hlog=out.hlog,
        hgrm=out.hgrm,
        cpu_csv=cpu_csv,
        wire_json=f"{out.label}.wire.json",
        reports=out.hpr,
        gateway_log=log,
    )


def build_result(
    m: Measurement, folder: Path, *, loadgen_cpu: int | None, name: str | None = None
) -> BuildResult:
    """A gateway build's result (its row named ``name``, by default the target's); raises
    ``LoadgenFailed`` when the generator kept no reports for it (a gateway target always
    has them)."""
    r = m.output.report
    if r.digest is None or r.reports is None or m.output.hpr is None:
        raise LoadgenFailed(
            f"{m.output.path(m.output.label + '.wire.json')}: a gateway target has no "
            "digest, report count or .hpr file"
        )
    received = read_reports(m.output.path(m.output.hpr)).records
    cpu = write_cpu_csv(m, folder)
    return BuildResult(
        build=name or m.target.name,
        spec=m.target.name,
        description=m.target.description,
        driver="wire",
        events=r.scenario.events,
        order_requests=r.scenario.order_requests,
        warmup_events=r.warmup_events,
        digest=r.digest,
        reports=r.reports,
        outcomes=decode(Outcomes, count_outcomes(received).to_json(), "outcomes"),
        latency_ns=latencies(r),
        files=files(m, folder, cpu[0] if cpu else None),
        cpu_samples=cpu[1] if cpu else None,
        wire=wire_pass(m, loadgen_cpu=loadgen_cpu),
    )


def floor_result(m: Measurement, folder: Path, *, loadgen_cpu: int | None) -> FloorResult:
    r = m.output.report
    cpu = write_cpu_csv(m, folder)
    return FloorResult(
        floor=m.target.name,
        description=m.target.description,
        events=r.scenario.events,
        order_requests=r.scenario.order_requests,
        warmup_events=r.warmup_events,
        latency_ns=latencies(r),
        files=files(m, folder, cpu[0] if cpu else None),
        cpu_samples=cpu[1] if cpu else None,
        wire=wire_pass(m, loadgen_cpu=loadgen_cpu),
    )
