"""Throughput, CPU and memory per build.

``throughput.png``: orders and events per second in the closed-loop throughput pass, and
CPU time per order request. ``cpu-memory.png``: each worker's CPU utilisation and resident
memory over its life, sampled from the parent every 100 ms, on the same time axis as the
other plots (0 = start of the timed pass); the shaded span is the timed pass. In a wire
run, the same for each gateway process (and floor), around the generator's sessions.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hotpath_lab import units
from hotpath_lab.plots.style import build_colour, latency_axis, new_figure, no_data, save
from hotpath_lab.reporting.run_data import RunData
from hotpath_lab.storage import BuildResult

PHASE_SHADES = {"timed": "#2ca02c", "throughput": "#ff7f0e", "warmup": "#7f7f7f"}


def plot_throughput(data: RunData, path: Path) -> Path:
    fig, (tp_ax, cpu_ax) = new_figure(1, 2)
    builds = data.builds
    tp = {b: data.build(b).throughput for b in builds}
    colours = [build_colour(b, builds) for b in builds]
    if not any(tp.values()):
        no_data(tp_ax, "no throughput pass in this run (--no-throughput or --pace max)")
        no_data(cpu_ax, "no throughput pass in this run")
        return save(fig, path)
    x = np.arange(len(builds))
    orders = np.array([t.orders_per_s if (t := tp[b]) else np.nan for b in builds])
    events = np.array([t.events_per_s if (t := tp[b]) else np.nan for b in builds])
    tp_ax.bar(x - 0.2, events, 0.4, color=colours, alpha=0.45, label="events/s")
    tp_ax.bar(x + 0.2, orders, 0.4, color=colours, label="order requests/s")
    for xi, v in zip(x.tolist(), events, strict=True):
        tp_ax.text(xi - 0.2, v, f"{v:,.0f}", ha="center", va="bottom", fontsize=8)
    for xi, v in zip(x.tolist(), orders, strict=True):
        tp_ax.text(xi + 0.2, v, f"{v:,.0f}", ha="center", va="bottom", fontsize=8)
    tp_ax.set_xticks(x, builds)
    tp_ax.set_ylabel("per second (closed loop)")
    tp_ax.set_title("throughput: events (light) and order requests (solid)", fontsize=10)
    tp_ax.grid(True, axis="y", alpha=0.3)
    cpu = np.array([t.cpu_per_order_ns if (t := tp[b]) else np.nan for b in builds])
    cpu_ax.bar(x, cpu, 0.5, color=colours)
    for xi, v in zip(x.tolist(), cpu, strict=True):
        cpu_ax.text(xi, v, units.latency(v), ha="center", va="bottom", fontsize=8)
    latency_axis(cpu_ax, "y", log=False)
    cpu_ax.set_xticks(x, builds)
    cpu_ax.set_ylabel("CPU per order request (market data included in the work)")
    cpu_ax.set_title("CPU time per order request", fontsize=10)
    cpu_ax.grid(True, axis="y", alpha=0.3)
    fig.suptitle(f"{data.run.scenario.name}: throughput and CPU cost")
    return save(fig, path)


def plot_cpu_memory(data: RunData, path: Path) -> Path:
    fig, (cpu_ax, mem_ax) = new_figure(2, 1, sharex=True)
    targets = data.targets
    cpu = data.cpu
    who, span = ("gateway process", "timed session") if data.wire else ("worker", "timed pass")
    if cpu.empty:
        no_data(cpu_ax, "no CPU samples (run made before the CPU sampler existed)")
    for build in targets:
        rows = cpu[cpu["build"] == build] if not cpu.empty else cpu
        c = build_colour(build, targets)
        if not rows.empty:
            t = rows["t_ms"].to_numpy() / 1e3
            cpu_ax.plot(t, rows["cpu_pct"], color=c, lw=1.2, label=build)
            mem_ax.plot(t, rows["rss_bytes"] / 2**20, color=c, lw=1.2, label=build)
        peak = _peak_and_span(data, build)[0]
        if peak:
            mem_ax.axhline(peak / 2**20, color=c, ls=":", lw=0.8)
    timed = [_peak_and_span(data, b)[1] for b in targets]
    longest = max((w for w in timed if w), default=None)
    if longest:
        for ax in (cpu_ax, mem_ax):
            ax.axvspan(0, longest, color=PHASE_SHADES["timed"], alpha=0.07)
    cpu_ax.set_ylabel("CPU % (100 = one core)")
    cpu_ax.set_title(f"CPU utilisation of each {who} (shaded: {span})", fontsize=10)
    cpu_ax.grid(True, alpha=0.3)
    mem_ax.set_ylabel("resident memory (MiB); dotted = peak")
    mem_ax.set_xlabel(f"seconds since the {span} started (warm-up is negative)")
    mem_ax.grid(True, alpha=0.3)
    if not cpu.empty:
        cpu_ax.legend(fontsize=8)
        mem_ax.legend(fontsize=8)
    fig.suptitle(f"{data.run.scenario.name}: CPU and memory per {who}")
    return save(fig, path)


def _peak_and_span(data: RunData, name: str) -> tuple[int, float]:
    """Peak RSS and the timed span's length: the worker's in process, the gateway
    process's and the timed session's over the wire."""
    t = data.target(name)
    if t.wire is not None:
        return t.wire.gateway.peak_rss_bytes, t.wire.wall_s
    if isinstance(t, BuildResult) and t.memory is not None and t.timed_pass is not None:
        return t.memory.peak_rss_bytes, t.timed_pass.wall_s
    return 0, 0.0
