"""Percentile spectrum: latency against 1/(1−p) on a log axis, one line per build.

The x axis stretches the tail the way HdrHistogram's plotter does: 90 % sits at 10, 99 %
at 100, 99.9 % at 1,000, so each extra nine gets the same width and the shape of the tail
(a step from a GC pause, a plateau from queueing) is visible instead of crushed into the
right edge. Data come from the ``.hgrm`` files, the same histograms as every other figure.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FixedLocator, NullFormatter, NullLocator

from hotpath_lab.plots.style import build_colour, latency_axis, new_figure, no_data, save
from hotpath_lab.reporting.run_data import RunData
from hotpath_lab.tables import METRIC_TITLES

TICKS = {1.0: "0%", 10.0: "90%", 100.0: "99%", 1e3: "99.9%", 1e4: "99.99%", 1e5: "99.999%"}


def inverse_tail(percentile: np.ndarray, total: np.ndarray) -> np.ndarray:
    """1/(1−p); the last line (p = 1) is placed one step beyond the last finite point."""
    p = np.asarray(percentile, dtype=np.float64)
    with np.errstate(divide="ignore"):
        x = 1.0 / (1.0 - p)
    finite = np.isfinite(x)
    if not finite.all():
        n = max(int(np.max(total)), 1) if len(total) else 1
        x[~finite] = max(float(n), float(np.max(x[finite], initial=1.0)) * 2)
    return x


def percentile_axis(ax: Axes, right: float) -> None:
    ax.set_xscale("log")
    ticks = [t for t in TICKS if t <= right * 1.01]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.set_xticklabels([TICKS[t] for t in ticks])
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlim(1.0, max(right, 10.0))
    ax.set_xlabel("percentile")


def draw_spectrum(ax: Axes, spectrum: pd.DataFrame, metric: str, builds: list[str]) -> None:
    rows = spectrum[spectrum["metric"] == metric]
    if rows.empty:
        no_data(ax, f"no {metric} samples")
        ax.set_title(METRIC_TITLES.get(metric, metric), fontsize=10)
        return
    right = 10.0
    for build in builds:
        r = rows[rows["build"] == build]
        if r.empty:
            continue
        x = inverse_tail(r["percentile"].to_numpy(), r["total_count"].to_numpy())
        y = r["value_ns"].to_numpy()
        count = int(r["total_count"].max())
        ax.step(
            x,
            y,
            where="post",
            color=build_colour(build, builds),
            lw=1.6,
            label=f"{build} (n={count:,})",
        )
        right = max(right, float(x.max()))
    latency_axis(ax, "y")
    percentile_axis(ax, right)
    ax.set_ylabel("latency")
    ax.set_title(METRIC_TITLES.get(metric, metric), fontsize=10)
    ax.legend(loc="upper left", fontsize=8)


def plot_spectrum(data: RunData, path: Path) -> Path:
    """End-to-end and tick-to-book spectra side by side (a wire run's floors included)."""
    fig, axes = new_figure(1, 2)
    for ax, metric in zip(axes, ("e2e", "tick_to_book"), strict=True):
        draw_spectrum(ax, data.spectrum, metric, data.targets)
    where = " over the wire (floors: no pipeline)" if data.wire else ""
    fig.suptitle(f"{data.run.scenario.name}: latency percentile spectrum{where}")
    return save(fig, path)


def plot_stage_spectra(data: RunData, path: Path) -> Path:
    """Service time and the three stages, one panel each, builds overlaid."""
    fig, axes = new_figure(2, 2)
    for ax, metric in zip(axes, ("service", "validation", "risk", "execution"), strict=True):
        draw_spectrum(ax, data.spectrum, metric, data.builds)
    fig.suptitle(f"{data.run.scenario.name}: percentile spectrum per stage")
    return save(fig, path)
