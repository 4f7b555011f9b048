"""The knee of a sweep: latency against achieved throughput, one line per target.

Each step of ``hotpath sweep`` is one point per percentile: x = the events per second the
target achieved, y = e2e P50 (dashed), P99 (solid) and P99.9 (dotted), both axes log. A
filled marker is a step the target sustained, a hollow one a step it did not (the sweep's
rule); the star on the P99 line is the highest rate it sustained: its knee.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter

from hotpath_lab import units
from hotpath_lab.plots.style import DPI, build_colour, latency_axis, new_figure, no_data, save
from hotpath_lab.storage.sweep_model import SweepTarget

PERCENTILES = (("p50", "P50", "--", 0.9), ("p99", "P99", "-", 1.8), ("p999", "P99.9", ":", 1.2))


def plot_knee(targets: Mapping[str, SweepTarget], scenario: str, stem: Path) -> tuple[Path, Path]:
    """Draws ``stem.png`` and ``stem.svg``; returns both paths."""
    fig, (ax,) = new_figure(1, 1)
    names = list(targets)
    drawn = False
    for name, t in targets.items():
        colour = build_colour(name, names)
        measured = [
            (s.achieved_per_s, s.e2e, s)
            for s in t.steps
            if s.e2e is not None and s.e2e.count and s.achieved_per_s
        ]
        if not measured:
            continue
        drawn = True
        x = [a for a, _e2e, _s in measured]
        for key, _label, style, width in PERCENTILES:
            y = [getattr(e2e, key) for _a, e2e, _s in measured]
            ax.plot(x, y, color=colour, ls=style, lw=width, zorder=2)
            for xi, yi, (_a, _e2e, s) in zip(x, y, measured, strict=True):
                ax.plot(
                    xi, yi, marker="o", ms=5, color=colour, zorder=3,
                    markerfacecolor=colour if s.sustained else "white",
                )  # fmt: skip
        knee = next((m for m in measured if m[2].rate_per_s == t.sustained_max_per_s), None)
        if knee is not None:
            kx, ky = knee[0], knee[1].p99
            ax.plot(kx, ky, marker="*", ms=16, color=colour, markeredgecolor="black", zorder=4)
            ax.annotate(
                f"{name}: {units.count(t.sustained_max_per_s)}/s sustained",
                (kx, ky),
                xytext=(-10, 12),
                textcoords="offset points",
                ha="right",
                fontsize=9,
                color=colour,
            )
    if not drawn:
        no_data(ax, "no step was measured")
    else:
        latency_axis(ax, "y")
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: units.count(v)))
        ax.set_xlabel("achieved throughput (events/s)")
        ax.set_ylabel("order-to-execution latency (e2e)")
        handles = [Line2D([], [], color=build_colour(n, names), lw=2, label=n) for n in names]
        handles += [
            Line2D([], [], color="#444", ls=style, lw=width, label=label)
            for _key, label, style, width in PERCENTILES
        ]
        handles += [
            Line2D([], [], color="#444", marker="o", ls="", label="sustained"),
            Line2D([], [], color="#444", marker="o", ls="", markerfacecolor="white",
                   label="not sustained"),
            Line2D([], [], color="#444", marker="*", ms=12, ls="", label="knee"),
        ]  # fmt: skip
        ax.legend(handles=handles, loc="best", fontsize=8, ncols=2)
    fig.suptitle(f"{scenario}: latency against throughput over the wire (one step per rate)")
    png = save(fig, stem.with_suffix(".png"))
    svg = stem.with_suffix(".svg")
    fig.savefig(svg, dpi=DPI, format="svg", metadata={"Creator": "hotpath-lab"})
    return png, svg
