"""The steps of a canary shift: order P99 against the canary share, one line per side.

x = the share of accounts the new build served at that step, y = the order P99 through
the router (log) of the new build, the old build serving the rest, and the shadow (the old
build on the new build's input). A red cross marks a step with report mismatches; a step
that tripped a guard is ringed and labelled with the guard.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, NullFormatter

from hotpath_lab.plots.style import DPI, GC_COLOUR, build_colour, latency_axis, new_figure, save
from hotpath_lab.wire.canary_model import CanaryStep

SIDE_STYLE = {"new": ("-", 2.0), "old": ("--", 1.3), "shadow": (":", 1.3)}


def plot_canary(
    steps: Sequence[CanaryStep], new: str, scenario: str, stem: Path
) -> tuple[Path, Path]:
    """Draws ``stem.png`` and ``stem.svg``; returns both paths."""
    fig, (ax,) = new_figure(1, 1)
    x = [100 * s.account_share for s in steps]
    handles = []
    for side, (style, width) in SIDE_STYLE.items():
        build = steps[0].sides[side].build if steps else side
        colour = build_colour(build)
        points = [(xi, s.sides[side].latency.p99) for xi, s in zip(x, steps, strict=True)
                  if s.sides[side].latency.count]  # fmt: skip
        if points:
            ax.plot(*zip(*points, strict=True), color=colour, ls=style, lw=width, marker="o")
        handles.append(Line2D([], [], color=colour, ls=style, lw=width, label=f"{side} ({build})"))
    for xi, s in zip(x, steps, strict=True):
        y = s.sides["new"].latency.p99 or 1
        if s.mismatches:
            ax.plot(xi, y, marker="X", ms=14, color=GC_COLOUR, zorder=4)
        if s.tripped:
            ax.plot(xi, y, marker="o", ms=22, mfc="none", mec="black", mew=1.5, zorder=4)
            ax.annotate(
                "stopped: " + ", ".join(t.guard for t in s.tripped), (xi, y),
                xytext=(8, 12), textcoords="offset points", fontsize=9,
            )  # fmt: skip
    handles.append(Line2D([], [], color=GC_COLOUR, marker="X", ls="", ms=10, label="mismatches"))
    latency_axis(ax, "y")
    ax.yaxis.set_minor_formatter(NullFormatter())  # a narrow range would label minor ticks in ns
    ax.set_xscale("log")
    ax.set_xlim(0.5, 200)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:g}%"))
    ax.set_xlabel("accounts served by the new build")
    ax.set_ylabel("order P99 through the router")
    ax.legend(handles=handles, loc="best", fontsize=8)
    fig.suptitle(f"{scenario}: canary shift to {new}, one session per step")
    png = save(fig, stem.with_suffix(".png"))
    svg = stem.with_suffix(".svg")
    fig.savefig(svg, dpi=DPI, format="svg", metadata={"Creator": "hotpath-lab"})
    return png, svg
