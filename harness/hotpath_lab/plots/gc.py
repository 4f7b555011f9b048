"""Garbage-collector pauses of the timed pass: how long they were and when they came.

Left, the distribution of pause lengths (log bins, stacked by generation); right, every
pause at the moment it started, its height the pause length, so a run of gen-2 pauses in
the burst stands out. Builds without collections are named with their zero count: the
recorder ran for them too.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hotpath_lab.plots.style import build_colour, latency_axis, new_figure, no_data, save
from hotpath_lab.reporting.run_data import RunData

GEN_COLOURS = {0: "#9ecae1", 1: "#3182bd", 2: "#08306b"}
GEN_MARKERS = {0: "o", 1: "s", 2: "D"}


def plot_gc_pauses(data: RunData, path: Path) -> Path:
    fig, (hist_ax, time_ax) = new_figure(1, 2)
    gc = data.gc
    totals = {b: gc_b for b in data.builds if (gc_b := data.build(b).gc) is not None}
    counts = {b: g.count for b, g in totals.items()}
    zero = [b for b, n in counts.items() if n == 0]
    if gc.empty:
        for ax in (hist_ax, time_ax):
            no_data(
                ax,
                "no collections during the timed pass\n"
                + ", ".join(f"{b}: 0" for b in data.builds),
            )
    else:
        pauses_ns = gc["pause_us"].to_numpy() * 1e3
        lo, hi = max(pauses_ns.min() * 0.8, 100.0), pauses_ns.max() * 1.25
        bins = np.geomspace(lo, max(hi, lo * 10), 40).tolist()
        stacked = [gc[gc["generation"] == g]["pause_us"].to_numpy() * 1e3 for g in (0, 1, 2)]
        hist_ax.hist(
            stacked,
            bins=bins,
            stacked=True,
            label=[f"gen {g}" for g in (0, 1, 2)],
            color=[GEN_COLOURS[g] for g in (0, 1, 2)],
        )
        latency_axis(hist_ax, "x")
        hist_ax.set_yscale("log")
        hist_ax.set_ylabel("collections")
        hist_ax.set_xlabel("pause length")
        hist_ax.legend(fontsize=8)
        for build in data.builds:
            rows = gc[gc["build"] == build]
            for g in (0, 1, 2):
                sel = rows[rows["generation"] == g]
                if sel.empty:
                    continue
                time_ax.scatter(
                    sel["start_ms"] / 1e3,
                    sel["pause_us"] * 1e3,
                    s=14,
                    marker=GEN_MARKERS[g],
                    color=build_colour(build, data.builds),
                    alpha=0.7,
                    label=f"{build} gen {g}",
                )
        latency_axis(time_ax, "y")
        time_ax.set_xlabel("seconds since the timed pass started")
        time_ax.set_ylabel("pause length")
        time_ax.legend(fontsize=8)
    summary = "; ".join(
        f"{b}: {g.count} collections, {g.total_ms:.1f} ms total" for b, g in totals.items()
    )
    hist_ax.set_title("pause lengths", fontsize=10)
    time_ax.set_title("pauses over the timed pass", fontsize=10)
    if zero and not gc.empty:
        time_ax.text(
            0.99,
            0.02,
            "0 collections: " + ", ".join(zero),
            ha="right",
            transform=time_ax.transAxes,
            fontsize=8,
            color="#555",
        )
    fig.suptitle(f"{data.run.scenario.name}: garbage collection ({summary})", fontsize=10)
    return save(fig, path)
