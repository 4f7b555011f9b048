"""``migration.png``: the migration path as a step chart, one step per phase measured.

Left: e2e p50, p99 and p99.9 per phase (log scale), a line through each percentile so each
step's drop reads as a stair. Right: CPU per order request and peak RSS per phase. Phases
are in migration order (``reporting.migration.PHASES``); a run with fewer than two gets a
"no data" chart.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hotpath_lab import units
from hotpath_lab.plots.style import build_colour, latency_axis, new_figure, no_data, save
from hotpath_lab.reporting.migration import figure, phases_in
from hotpath_lab.reporting.run_data import RunData

PERCENTILES = (("e2e_p50", "p50", "-"), ("e2e_p99", "p99", "--"), ("e2e_p999", "p99.9", ":"))


def plot_migration(data: RunData, path: Path) -> Path:
    fig, (lat_ax, cost_ax) = new_figure(1, 2)
    phases = phases_in(data)
    if len(phases) < 2:
        no_data(lat_ax, "fewer than two migration phases in this run")
        no_data(cost_ax, "run python, hybrid-risk, hybrid-risk-exec, rust-ffi, rust-native")
        return save(fig, path)
    x = np.arange(len(phases))
    labels = [p.label.replace(" · ", "\n") for p in phases]
    for key, name, style in PERCENTILES:
        y = np.array([v if (v := figure(data, p.build, key)) else np.nan for p in phases])
        lat_ax.step(x, y, where="mid", linestyle=style, color="#444", label=name)
        lat_ax.scatter(x, y, color=[build_colour(p.build) for p in phases], zorder=3)
        for xi, v in zip(x.tolist(), y, strict=True):
            lat_ax.annotate(units.latency(v), (xi, v), textcoords="offset points",
                            xytext=(4, 3), fontsize=7)  # fmt: skip
    latency_axis(lat_ax, "y")
    lat_ax.set_xticks(x, labels, fontsize=8)
    lat_ax.set_title("order latency (end-to-end, open loop) per phase", fontsize=10)
    lat_ax.legend(fontsize=8)
    lat_ax.grid(True, axis="y", alpha=0.3)
    cpu = np.array([v if (v := figure(data, p.build, "cpu_per_order")) else np.nan for p in phases])
    cost_ax.bar(x, cpu, 0.5, color=[build_colour(p.build) for p in phases])
    for xi, v in zip(x.tolist(), cpu, strict=True):
        cost_ax.text(xi, v, units.latency(v), ha="center", va="bottom", fontsize=8)
    latency_axis(cost_ax, "y", log=False)
    cost_ax.set_ylabel("CPU per order request")
    rss_ax = cost_ax.twinx()
    rss = np.array([v if (v := figure(data, p.build, "peak_rss")) else np.nan for p in phases])
    rss_ax.plot(x, rss / 2**20, "o-", color="#555", label="peak RSS (MiB)")
    rss_ax.set_ylabel("peak RSS (MiB)")
    rss_ax.set_ylim(bottom=0)
    rss_ax.legend(fontsize=8, loc="upper right")
    cost_ax.set_xticks(x, labels, fontsize=8)
    cost_ax.set_title("CPU per order (bars) and memory (line) per phase", fontsize=10)
    cost_ax.grid(True, axis="y", alpha=0.3)
    fig.suptitle(f"{data.run.scenario.name}: what each phase of the migration buys")
    return save(fig, path)
