"""Latency over time: per-interval P99 and max from the interval log, GC pauses on top.

One panel per build (and per floor of a wire run), sharing both axes, so a burst or a pause
lines up across builds.
Grey bars (right axis) give the events handled in each interval: where the burst is.
Red ticks mark every collection at the moment it started; their height on the top strip
is the pause length.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.axes import Axes

from hotpath_lab import units
from hotpath_lab.plots.style import (
    GC_COLOUR,
    build_colour,
    latency_axis,
    new_figure,
    no_data,
    save,
)
from hotpath_lab.reporting.hlog import quantiles
from hotpath_lab.reporting.run_data import RunData


def plot_latency_over_time(data: RunData, path: Path, metric: str = "e2e") -> Path:
    builds = data.targets
    fig, axes = new_figure(len(builds), 1, sharex=True, sharey=True)
    for ax, build in zip(axes, builds, strict=True):
        ic = data.intervals.get(build, {}).get(metric)
        colour = build_colour(build, builds)
        if ic is None or not ic.total.sum():
            no_data(ax, f"{build}: no {metric} intervals")
            continue
        q = quantiles(ic.values, ic.counts, [0.5, 0.99, 1.0])
        edges = np.append(ic.start_s, ic.start_s[-1] + ic.length_s[-1])
        for col, label, style in ((2, "max", ":"), (1, "P99", "-"), (0, "P50", "--")):
            y = np.append(q[:, col], q[-1, col])
            ax.step(
                edges,
                y,
                where="post",
                color=colour,
                ls=style,
                lw=1.5 if col == 1 else 1,
                label=label,
            )
        latency_axis(ax, "y")
        ax.set_ylabel(build)
        twin = ax.twinx()
        starts, lengths, totals = _events_per_interval(data, build)
        twin.bar(starts, totals, width=lengths, align="edge", color="#999", alpha=0.18, zorder=0)
        twin.set_ylabel("events / interval", fontsize=8, color="#777")
        twin.tick_params(labelsize=7, colors="#777")
        ax.set_zorder(twin.get_zorder() + 1)
        ax.patch.set_visible(False)
        if not data.wire:  # a gateway's collector is not observable from outside
            _draw_pauses(ax, data, build)
        ax.legend(loc="upper left", fontsize=7, ncols=4)
    span = "timed session" if data.wire else "timed pass"
    axes[-1].set_xlabel(f"seconds since the {span} started (one bar per interval)")
    fig.suptitle(
        f"{data.run.scenario.name}: {metric} latency per interval "
        f"({data.run.options.pace} pace"
        + ("; over the wire)" if data.wire else "); red ticks = GC pauses")
    )
    return save(fig, path)


def _events_per_interval(data: RunData, build: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(start, length, events) per interval: order requests plus market data.

    Metrics log only the intervals in which they had values, so they are matched by start.
    """
    logs = data.intervals.get(build, {})
    totals: dict[float, float] = {}
    lengths: dict[float, float] = {}
    for m in ("e2e", "tick_to_book"):
        if m not in logs:
            continue
        ic = logs[m]
        for s, length, n in zip(ic.start_s, ic.length_s, ic.total, strict=True):
            key = round(float(s), 6)
            totals[key] = totals.get(key, 0.0) + float(n)
            lengths[key] = float(length)
    starts = np.array(sorted(totals))
    return (
        starts,
        np.array([lengths[s] for s in starts]),
        np.array([totals[s] for s in starts]),
    )


def _draw_pauses(ax: Axes, data: RunData, build: str) -> None:
    gc = data.gc[data.gc["build"] == build]
    if gc.empty:
        ax.text(
            0.99,
            0.95,
            "0 collections",
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize=8,
            color="#555",
        )
        return
    starts = gc["start_ms"].to_numpy() / 1e3
    ax.vlines(
        starts,
        0,
        1,
        transform=ax.get_xaxis_transform(),
        colors=GC_COLOUR,
        lw=0.6,
        alpha=0.45,
        label="GC pause",
    )
    longest = float(gc["pause_us"].max()) * 1e3
    ax.text(
        0.99,
        0.95,
        f"{len(gc)} collections, longest {units.latency(longest)}",
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=8,
        color=GC_COLOUR,
    )
