"""Console tables for runs: latency per stage, resources, noise floor, ratios; for a wire
run, the targets over the wire, their multiples of the floors and the digest check."""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Console
from rich.table import Table

from hotpath_lab import units
from hotpath_lab.storage import METRICS, BuildResult, Run
from hotpath_lab.storage.run_model import Jitter, Measured, Ratios
from hotpath_lab.storage.wire_model import Trend

METRIC_TITLES = {
    "e2e": "end-to-end (order requests, from intended time)",
    "service": "service time (order requests, from actual start)",
    "validation": "validation stage",
    "risk": "risk stage",
    "execution": "execution stage",
    "tick_to_book": "tick-to-book (market data, from intended time)",
}


def render_run(run: Run, console: Console) -> None:
    if run.mode == "wire":
        render_wire_run(run, console)
        return
    sc, env, opts = run.scenario, run.environment, run.options
    console.print(
        f"[bold]{sc.name}[/]  {sc.events:,} events ({sc.order_requests:,} order "
        f"requests) over {sc.span_s:.1f} s, peak {sc.peak_rate_per_s:,.0f}/s",
        highlight=False,
    )
    console.print(
        f"pace {opts.pace} x{opts.speed:g}, warm-up {opts.warmup:,} events; "
        f"{env.cpu_model}, {env.cpu_count} cores, Python {env.python}, "
        f"{env.rustc or 'rustc ?'}, extensions {env.build_profile}/{env.toolkit_build_profile}, "
        f"git {env.git.short}{' (dirty)' if env.git.dirty else ''}",
        highlight=False,
    )
    if env.canary:
        console.print(
            f"[bold yellow]canary {env.canary} on[/]: every build was slowed down on purpose "
            "(HOTPATH_CANARY, docs/gate.md)"
        )
    render_latencies(run.builds, console)
    render_resources(run.builds, console)
    render_noise_floor(run.builds, console)
    render_ratios(run.ratios, console)
    agree = "[green]all builds agree[/]" if run.agree else "[bold red]BUILDS DISAGREE[/]"
    digests = ", ".join(f"{b} {d[:12]}" for b, d in run.digests.items())
    peers = [b for b, r in run.builds.items() if not r.shadow_equal]
    if peers:  # their reports are their own (docs/peers.md)
        digests += "; not compared: " + ", ".join(f"{p} (a peer)" for p in peers)
    console.print(f"output digests: {digests} — {agree}", highlight=False)


def render_latencies(targets: Mapping[str, Measured], console: Console) -> None:
    """One table per metric that has samples: a row per build (or floor)."""
    for metric in METRICS:
        rows = [(b, r.latency_ns.of(metric)) for b, r in targets.items()]
        if not any(s.count for _, s in rows):
            continue
        t = Table(title=METRIC_TITLES[metric], title_justify="left", show_edge=False)
        for col in ("build", "count", "min", "p50", "p90", "p99", "p99.9", "p99.99", "max", "mean"):
            t.add_column(col, justify="left" if col == "build" else "right")
        for b, s in rows:
            if s.count:
                t.add_row(
                    b,
                    f"{s.count:,}",
                    *(
                        units.latency(v)
                        for v in (s.min, s.p50, s.p90, s.p99, s.p999, s.p9999, s.max, s.mean)
                    ),
                )
        console.print(t)


def render_resources(builds: Mapping[str, BuildResult], console: Console) -> None:
    t = Table(title="throughput, CPU, memory, GC", title_justify="left", show_edge=False)
    for col in (
        "build",
        "orders/s (max pace)",
        "events/s",
        "CPU/order",
        "busy CPU %",
        "engine MB",
        "peak RSS MB",
        "GC pauses",
        "GC total ms",
        "GC max ms",
        "slowest 0.1% in GC",
    ):
        t.add_column(col, justify="left" if col == "build" else "right")
    for b, r in builds.items():
        tp, gc, timed, memory = r.throughput, r.gc, r.timed_pass, r.memory
        if gc is None or timed is None or memory is None:
            continue  # measured over the wire: render_wire_run
        tail = gc.tail_overlap
        t.add_row(
            b,
            units.count(tp.orders_per_s if tp else None),
            units.count(tp.events_per_s if tp else None),
            units.latency(tp.cpu_per_order_ns if tp else None),
            f"{100 * timed.busy_cpu_utilisation:.1f}",
            f"{memory.engine_rss_bytes / 2**20:,.1f}",
            f"{memory.peak_rss_bytes / 2**20:,.1f}",
            f"{gc.count:,}",
            f"{gc.total_ms:,.1f}",
            f"{gc.max_ms:,.2f}",
            f"{tail.overlapped}/{tail.slowest}",
        )
    console.print(t)
    overhead = [
        f"{b}: p50 {units.latency(o.service.p50)} / p99 {units.latency(o.latency.p99)}"
        + (f" ({r.driver})" if r.driver != "python-asyncio-loop" else "")
        for b, r in builds.items()
        if (o := r.overhead_ns) is not None
    ]
    if overhead:
        console.print(
            "driver overhead (empty pipeline, service p50 / latency p99): " + "; ".join(overhead),
            highlight=False,
        )


def noise_floor_line(build: str, jitter: Jitter) -> str:
    """One build's probe, and the percentile beyond which the machine sets the latency."""
    return (
        f"{build}: {jitter.per_second:,.0f} interruptions/s, median "
        f"{units.latency(jitter.p50_ns)}, max {units.latency(jitter.max_ns)}, "
        f"{100 * jitter.stolen_share:.2f}% of time lost → beyond "
        f"p{100 * (1 - jitter.stolen_share):.2f} the machine, not the build, sets latency"
    )


def render_noise_floor(builds: Mapping[str, BuildResult], console: Console) -> None:
    lines = [noise_floor_line(b, j) for b, r in builds.items() if (j := r.jitter) is not None]
    if lines:
        console.print("machine noise floor (spinning thread, gaps > 1 µs):", highlight=False)
        for line in lines:
            console.print(f"  {line}", highlight=False)


RATIO_COLUMNS = (
    "e2e_p50",
    "e2e_p99",
    "e2e_p999",
    "service_p99",
    "tick_to_book_p99",
    "throughput_orders",
    "cpu_per_order",
    "engine_memory",
)


def render_ratios(
    ratios: Mapping[str, Ratios], console: Console, *, over_the_wire: bool = False
) -> None:
    if not ratios:
        return
    t = Table(
        title="Python ÷ Rust (how many times slower / bigger)"
        + (", over the wire" if over_the_wire else ""),
        title_justify="left",
        show_edge=False,
    )
    t.add_column("pair")
    for c in RATIO_COLUMNS:
        t.add_column(c, justify="right")
    for pair, r in ratios.items():
        t.add_row(pair, *(units.ratio(getattr(r, c)) for c in RATIO_COLUMNS))
    console.print(t)


# -- wire runs ---------------------------------------------------------------------------


def render_wire_run(run: Run, console: Console) -> None:
    """A ``--mode wire`` run: latencies of every target (floors first), what the generator
    and each gateway process did, the multiples of the floors, Python ÷ Rust, the digests."""
    from hotpath_lab.wire.figures import floor_multiple_rows, multiple_text

    sc, env, opts, wire = run.scenario, run.environment, run.options, run.wire
    console.print(
        f"[bold]{sc.name}[/] over the wire  {sc.events:,} events ({sc.order_requests:,} "
        f"order requests) over {sc.span_s:.1f} s, peak {sc.peak_rate_per_s:,.0f}/s",
        highlight=False,
    )
    settings = wire.settings if wire else None
    console.print(
        f"pace {opts.pace} x{opts.speed:g}, warm-up {opts.warmup:,} events"
        + (
            f"; wire-rust --engine {settings.engine} --poll {settings.poll}; gateway on CPU "
            f"{settings.gateway_cpu}, generator on CPU {settings.loadgen_cpu}"
            if settings
            else ""
        )
        + f"; {env.cpu_model}, {env.cpu_count} cores, git {env.git.short}"
        + (" (dirty)" if env.git.dirty else ""),
        highlight=False,
    )
    render_latencies(run.measured, console)
    render_wire_passes(run.measured, console)
    rows = floor_multiple_rows(run)
    if rows:
        t = Table(
            title="multiples of the floor (target e2e ÷ floor e2e)",
            title_justify="left",
            show_edge=False,
        )
        for col in ("target", "floor", "p50", "p99", "p99.9"):
            t.add_column(col, justify="left" if col in ("target", "floor") else "right")
        for target, floor, m in rows:
            ratios = (m.e2e_p50, m.e2e_p99, m.e2e_p999)
            t.add_row(target, floor, *(multiple_text(v) for v in ratios))
        console.print(t)
    render_ratios(run.ratios, console, over_the_wire=True)
    if wire is not None:
        for line in digest_lines(run):
            console.print(line, highlight=False)


def render_wire_passes(targets: Mapping[str, Measured], console: Console) -> None:
    t = Table(title="over the wire", title_justify="left", show_edge=False)
    for col in (
        "target",
        "offered/s",
        "achieved/s",
        "frames",
        "events/frame",
        "send lag p99",
        "backlog p50 first→last",
        "gateway CPU %",
        "CPU/order",
        "peak RSS MB",
        "errors",
    ):
        t.add_column(col, justify="left" if col == "target" else "right")
    for name, r in targets.items():
        w = r.wire
        if w is None:
            continue
        g = w.gateway
        t.add_row(
            name,
            units.count(w.offered_per_s),
            units.count(w.achieved_per_s),
            f"{w.frames:,}",
            f"{w.batch_mean:.1f} (max {w.batch_max})",
            units.latency(w.send_lag_ns.p99),
            backlog_text(w.trend),
            f"{100 * g.cpu_share:.0f}",
            units.latency(g.cpu_per_order_ns),
            f"{g.peak_rss_bytes / 2**20:,.1f}",
            ", ".join(f"{k} {v}" for k, v in w.errors.items()) or "0",
        )
    console.print(t)


def backlog_text(trend: Trend | None) -> str:
    """Median e2e of the first quarter of the order requests → of the last."""
    if trend is None:
        return "–"
    return f"{units.latency(trend.e2e_p50_first_ns)} → {units.latency(trend.e2e_p50_last_ns)}"


def digest_lines(run: Run) -> list[str]:
    """The digest check of a wire run, one line per build, then the verdict."""
    wire = run.wire
    if wire is None:
        return []
    ref = wire.reference
    lines = [
        f"in-process reference ({ref.build}): {ref.reports:,} reports, digest {ref.digest[:12]}"
    ]
    for b, r in run.builds.items():
        gateway = wire.gateway_digests.get(b, "")
        ok = r.digest == ref.digest and gateway == ref.digest
        lines.append(
            f"  {b:<12} generator {r.digest[:12]}, gateway {gateway[:12] or '?'}: "
            + ("[green]equal[/]" if ok else "[bold red]DIFFERENT[/]")
        )
        if b in wire.divergences:
            lines.append(f"    first difference: {wire.divergences[b]}")
    lines.append(
        "[green]every gateway reproduced the in-process reports[/]"
        if run.agree
        else "[bold red]DIGEST CHECK FAILED: a gateway's reports differ from in process[/]"
    )
    return lines
