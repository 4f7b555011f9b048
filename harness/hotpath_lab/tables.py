"""Console tables for runs: latency per stage, resources, ratios, run comparisons."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

METRICS = ("e2e", "service", "validation", "risk", "execution", "tick_to_book")
METRIC_TITLES = {
    "e2e": "end-to-end (order requests, from intended time)",
    "service": "service time (order requests, from actual start)",
    "validation": "validation stage",
    "risk": "risk stage",
    "execution": "execution stage",
    "tick_to_book": "tick-to-book (market data, from intended time)",
}


def us(ns: float | None) -> str:
    if ns is None:
        return "-"
    if ns >= 1e6:
        return f"{ns / 1e3:,.0f}"
    return f"{ns / 1e3:,.2f}" if ns < 1e4 else f"{ns / 1e3:,.1f}"


def render_run(run: dict[str, Any], console: Console) -> None:
    sc = run["scenario"]
    env = run["environment"]
    opts = run["options"]
    console.print(
        f"[bold]{sc['name']}[/]  {sc['events']:,} events ({sc['order_requests']:,} order "
        f"requests) over {sc['span_s']:.1f} s, peak {sc['peak_rate_per_s']:,}/s",
        highlight=False,
    )
    console.print(
        f"pace {opts['pace']} x{opts['speed']:g}, warm-up {opts['warmup']:,} events; "
        f"{env['cpu_model']}, {env['cpu_count']} cores, Python {env['python']}, "
        f"{env.get('rustc') or 'rustc ?'}, extension {env.get('build_profile')}, "
        f"git {env['git']['short']}{' (dirty)' if env['git'].get('dirty') else ''}",
        highlight=False,
    )
    builds = run["builds"]
    for metric in METRICS:
        rows = [(b, r["latency_ns"].get(metric, {})) for b, r in builds.items()]
        if not any(s.get("count") for _, s in rows):
            continue
        t = Table(title=f"{METRIC_TITLES[metric]}, µs", title_justify="left", show_edge=False)
        for col in ("build", "count", "min", "p50", "p90", "p99", "p99.9", "p99.99", "max", "mean"):
            t.add_column(col, justify="left" if col == "build" else "right")
        for b, s in rows:
            if not s.get("count"):
                continue
            t.add_row(
                b,
                f"{s['count']:,}",
                us(s["min"]),
                us(s["p50"]),
                us(s["p90"]),
                us(s["p99"]),
                us(s["p999"]),
                us(s["p9999"]),
                us(s["max"]),
                us(s["mean"]),
            )
        console.print(t)
    render_resources(builds, console)
    render_noise_floor(builds, console)
    render_ratios(run.get("ratios", {}), console)
    agree = "[green]all builds agree[/]" if run["agree"] else "[bold red]BUILDS DISAGREE[/]"
    digests = ", ".join(f"{b} {d[:12]}" for b, d in run["digests"].items())
    console.print(f"output digests: {digests} — {agree}", highlight=False)


def render_resources(builds: dict[str, Any], console: Console) -> None:
    t = Table(title="throughput, CPU, memory, GC", title_justify="left", show_edge=False)
    for col in (
        "build",
        "orders/s (max pace)",
        "events/s",
        "CPU/order µs",
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
        tp = r.get("throughput", {})
        gc = r["gc"]
        tail = gc.get("tail_overlap", {})
        t.add_row(
            b,
            f"{tp['orders_per_s']:,.0f}" if tp else "-",
            f"{tp['events_per_s']:,.0f}" if tp else "-",
            us(tp.get("cpu_per_order_ns")) if tp else "-",
            f"{100 * r['timed_pass']['busy_cpu_utilisation']:.1f}",
            f"{r['memory'].get('engine_rss_bytes', 0) / 2**20:,.1f}",
            f"{r['memory']['peak_rss_bytes'] / 2**20:,.1f}",
            f"{gc['count']:,}",
            f"{gc['total_ms']:,.1f}",
            f"{gc['max_ms']:,.2f}",
            f"{tail.get('overlapped', 0)}/{tail.get('slowest', 0)}",
        )
    console.print(t)
    overhead = [(b, r["overhead_ns"]) for b, r in builds.items() if "overhead_ns" in r]
    if overhead:
        line = "; ".join(
            f"{b}: p50 {us(o['service']['p50'])} / p99 {us(o['latency']['p99'])} µs"
            + (" (own loop)" if builds[b].get("driver") == "self-driven" else "")
            for b, o in overhead
            if o.get("service")
        )
        console.print(
            f"driver overhead (empty pipeline, service p50 / latency p99): {line}", highlight=False
        )


def noise_floor_line(build: str, jitter: dict[str, Any]) -> str:
    """One build's probe, and the percentile beyond which the machine sets the latency."""
    return (
        f"{build}: {jitter['per_second']:,.0f} interruptions/s, median "
        f"{us(jitter['p50_ns'])} µs, max {us(jitter['max_ns'])} µs, "
        f"{100 * jitter['stolen_share']:.2f}% of time lost → beyond "
        f"p{100 * (1 - jitter['stolen_share']):.2f} the machine, not the build, sets latency"
    )


def render_noise_floor(builds: dict[str, Any], console: Console) -> None:
    lines = [noise_floor_line(b, r["jitter"]) for b, r in builds.items() if "jitter" in r]
    if lines:
        console.print("machine noise floor (spinning thread, gaps > 1 µs):", highlight=False)
        for line in lines:
            console.print(f"  {line}", highlight=False)


def render_ratios(ratios: dict[str, dict[str, float | None]], console: Console) -> None:
    if not ratios:
        return
    t = Table(
        title="Python ÷ Rust (how many times slower / bigger)",
        title_justify="left",
        show_edge=False,
    )
    cols = (
        "e2e_p50",
        "e2e_p99",
        "e2e_p999",
        "service_p99",
        "tick_to_book_p99",
        "throughput_orders",
        "cpu_per_order",
        "engine_memory",
    )
    t.add_column("pair")
    for c in cols:
        t.add_column(c, justify="right")
    for pair, r in ratios.items():
        t.add_row(pair, *(f"{r[c]:,.1f}x" if r.get(c) else "-" for c in cols))
    console.print(t)
