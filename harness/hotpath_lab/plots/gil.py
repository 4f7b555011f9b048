"""The GIL experiment's plot: throughput and per-order P99 against the number of workers K,
one line per mode (``hotpath gil``, docs/gil.md).

Left: order requests per second (log), each point labelled with its speed-up over the same
mode at K = 1. Right: P99 of an order request's service time (log). The shaded band is
oversubscription (more workers than cores): there perfect scaling stops at the core count.
"""

from __future__ import annotations

from pathlib import Path

from matplotlib.ticker import FuncFormatter, MaxNLocator

from hotpath_lab import units
from hotpath_lab.gil.results import GilRun
from hotpath_lab.plots.style import DPI, build_colour, latency_axis, new_figure, no_data, save

MODE_COLOURS = {
    "python-threads": "#3572A5",
    "asyncio": "#56B4E9",
    "rust-from-python-threads": "#E69F00",
    "rust-from-python-batched": "#009E73",
    "rust-threads": "#B7410E",
}


def plot_gil(run: GilRun, stem: Path) -> tuple[Path, Path]:
    """Draws ``stem.png`` and ``stem.svg``; returns both paths."""
    fig, (tput, tail) = new_figure(1, 2, sharex=True)
    modes = list(run.settings.modes)
    levels = list(run.settings.levels)
    for mode in modes:
        points = sorted((p for p in run.points if p.mode == mode), key=lambda p: p.concurrency)
        if not points:
            continue
        colour = MODE_COLOURS.get(mode) or build_colour(mode, modes)
        k = [p.concurrency for p in points]
        tput.plot(k, [p.orders_per_s for p in points], marker="o", color=colour, label=mode)
        for p in points:
            tput.annotate(
                units.ratio(p.speedup),
                (p.concurrency, p.orders_per_s),
                xytext=(4, 4),
                textcoords="offset points",
                fontsize=8,
                color=colour,
            )
        tail.plot(k, [p.order_latency_ns.p99 for p in points], marker="o", color=colour, label=mode)
    if not run.points:
        no_data(tput, "nothing was measured")
        no_data(tail, "nothing was measured")
    else:
        tput.set_yscale("log")
        tput.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: units.count(v)))
        tput.grid(True, which="major", alpha=0.35)
        tput.set_ylabel("order requests per second (all workers)")
        tput.set_title("throughput (label: speed-up over K = 1)", fontsize=10)
        latency_axis(tail, "y")
        tail.set_ylabel("P99 of an order request's call")
        tail.set_title("per-order P99 (service time, closed loop)", fontsize=10)
        for ax in (tput, tail):
            ax.set_xlabel("concurrency K (workers)")
            ax.set_xticks(levels)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            if levels and max(levels) > run.settings.cores:
                ax.axvspan(
                    run.settings.cores + 0.5, max(levels) + 0.5, color="#999", alpha=0.12, lw=0
                )
                ax.text(
                    run.settings.cores + 0.55, 0.02, "more workers than cores",
                    transform=ax.get_xaxis_transform(), fontsize=8, color="#555",
                )  # fmt: skip
        tput.legend(loc="best", fontsize=8)
    fig.suptitle(
        f"{run.scenario.name}: the GIL experiment, {run.settings.cores} cores "
        f"(perfect scaling is {run.settings.cores}×)"
    )
    png = save(fig, stem.with_suffix(".png"))
    svg = stem.with_suffix(".svg")
    fig.savefig(svg, dpi=DPI, format="svg", metadata={"Creator": "hotpath-lab"})
    return png, svg
