"""Console tables for runs: latency per stage, resources, noise floor, ratios."""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Console
from rich.table import Table

from hotpath_lab import units
from hotpath_lab.storage import METRICS, BuildResult, Run
from hotpath_lab.storage.run_model import Jitter, Ratios

METRIC_TITLES = {
    "e2e": "end-to-end (order requests, from intended time)",
    "service": "service time (order requests, from actual start)",
    "validation": "validation stage",
    "risk": "risk stage",
    "execution": "execution stage",
    "tick_to_book": "tick-to-book (market data, from intended time)",
}


def render_run(run: Run, console: Console) -> None:
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
    for metric in METRICS:
        rows = [(b, r.latency_ns.of(metric)) for b, r in run.builds.items()]
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
    render_resources(run.builds, console)
    render_noise_floor(run.builds, console)
    render_ratios(run.ratios, console)
    agree = "[green]all builds agree[/]" if run.agree else "[bold red]BUILDS DISAGREE[/]"
    digests = ", ".join(f"{b} {d[:12]}" for b, d in run.digests.items())
    console.print(f"output digests: {digests} — {agree}", highlight=False)


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
        tp, gc, tail = r.throughput, r.gc, r.gc.tail_overlap
        t.add_row(
            b,
            units.count(tp.orders_per_s if tp else None),
            units.count(tp.events_per_s if tp else None),
            units.latency(tp.cpu_per_order_ns if tp else None),
            f"{100 * r.timed_pass.busy_cpu_utilisation:.1f}",
            f"{r.memory.engine_rss_bytes / 2**20:,.1f}",
            f"{r.memory.peak_rss_bytes / 2**20:,.1f}",
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


def render_ratios(ratios: Mapping[str, Ratios], console: Console) -> None:
    if not ratios:
        return
    t = Table(
        title="Python ÷ Rust (how many times slower / bigger)",
        title_justify="left",
        show_edge=False,
    )
    t.add_column("pair")
    for c in RATIO_COLUMNS:
        t.add_column(c, justify="right")
    for pair, r in ratios.items():
        t.add_row(pair, *(units.ratio(getattr(r, c)) for c in RATIO_COLUMNS))
    console.print(t)
