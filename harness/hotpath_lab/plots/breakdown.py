"""Stage breakdown: where an order request's time goes, per build.

Left, the mean service time of an order request split into each stage's share (a stage's
mean times the share of requests that reached it: only NEW/REPLACE reach risk, only
accepted ones execution) and the rest (decoding, the call into the build, the driver);
the mean queueing (end-to-end minus service: waiting behind earlier events) is printed
beside it, as it is often orders of magnitude larger. Means add up where percentiles do
not, which is why the stack uses them. Right, each stage's P50 and P99, which do not add
up but show the tails.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hotpath_lab import units
from hotpath_lab.plots.style import (
    STAGE_COLOURS,
    build_colour,
    latency_axis,
    new_figure,
    no_data,
    save,
)
from hotpath_lab.reporting.run_data import RunData
from hotpath_lab.storage.run_model import Latencies

STAGES = ("validation", "risk", "execution")


def stage_contributions(latency: Latencies) -> dict[str, float]:
    """Mean ns per order request: queueing, each stage, other (rest of the service time)."""
    e2e, service = latency.e2e, latency.service
    n = e2e.count
    if not n:
        return {}
    out = {"queueing": max(0.0, e2e.mean - service.mean)}
    staged = 0.0
    for s in STAGES:
        st = latency.of(s)
        part = st.mean * st.count / n if st.count else 0.0
        out[s] = part
        staged += part
    out["other"] = max(0.0, service.mean - staged)
    return out


def plot_stage_breakdown(data: RunData, path: Path) -> Path:
    fig, (stack_ax, pct_ax) = new_figure(1, 2)
    builds = data.builds
    parts = {b: stage_contributions(data.build(b).latency_ns) for b in builds}
    if not any(parts.values()):
        no_data(stack_ax, "no order requests in this run")
        no_data(pct_ax, "no order requests in this run")
        return save(fig, path)
    y = np.arange(len(builds))
    left = np.zeros(len(builds))
    for key in (*STAGES, "other"):
        widths = np.array([parts[b].get(key, 0.0) for b in builds]) / 1e3
        stack_ax.barh(y, widths, left=left, color=STAGE_COLOURS[key], label=key)
        left += widths
    for i, b in enumerate(builds):
        queue = parts[b].get("queueing")
        if queue is not None:
            stack_ax.text(
                left[i],
                i,
                f"  service {units.latency(left[i] * 1e3)}\n  + queueing {units.latency(queue)}",
                va="center",
                fontsize=8,
            )
    stack_ax.set_yticks(y, builds)
    stack_ax.invert_yaxis()
    stack_ax.set_xlabel("mean per order request (µs)")
    stack_ax.set_title("mean service time per order request, split by stage", fontsize=10)
    stack_ax.legend(fontsize=8, loc="lower right")
    stack_ax.set_xlim(0, left.max() * 1.45 if left.max() > 0 else 1)

    width = 0.8 / max(1, len(builds))
    x = np.arange(len(STAGES) + 1)
    labels = ["service", *STAGES]
    for i, b in enumerate(builds):
        summaries = [data.build(b).latency_ns.of(m) for m in labels]
        p50 = [s.p50 if s.count else np.nan for s in summaries]
        p99 = [s.p99 if s.count else np.nan for s in summaries]
        c = build_colour(b, builds)
        pct_ax.bar(x + i * width, p99, width, color=c, alpha=0.45, label=f"{b} P99")
        pct_ax.bar(x + i * width, p50, width, color=c, label=f"{b} P50")
    pct_ax.set_xticks(x + width * (len(builds) - 1) / 2, labels)
    latency_axis(pct_ax, "y")
    pct_ax.set_title("P50 (solid) and P99 (light) per stage", fontsize=10)
    pct_ax.legend(fontsize=7, ncols=2)
    fig.suptitle(f"{data.run.scenario.name}: stage breakdown")
    return save(fig, path)
