"""Shared look of the lab's plots: size, build colours, the latency axis, saving.

Figures are made with ``matplotlib.figure.Figure`` and the Agg canvas directly (no pyplot
state, no display needed), at a fixed pixel size so reports line up and tests can check it.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from hotpath_lab import units

DPI = 100
WIDTH_PX = 1200
HEIGHT_PX = 700
SIZE_PX = (WIDTH_PX, HEIGHT_PX)

BUILD_COLOURS = {
    "python": "#3572A5",
    "hybrid-risk": "#56B4E9",
    "hybrid-risk-exec": "#009E73",
    "rust-ffi": "#E69F00",
    "rust-native": "#B7410E",
    "wire-python": "#3572A5",
    "wire-rust": "#B7410E",
    "zmq-echo": "#7F7F7F",
    "tcp-echo": "#2B2B2B",
}
_FALLBACK = ("#009E73", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
STAGE_COLOURS = {
    "queueing": "#BBBBBB",
    "validation": "#4C72B0",
    "risk": "#DD8452",
    "execution": "#55A868",
    "other": "#8172B3",
}
GC_COLOUR = "#D62728"


def build_colour(build: str, order: list[str] | None = None) -> str:
    if build in BUILD_COLOURS:
        return BUILD_COLOURS[build]
    i = order.index(build) if order and build in order else zlib.crc32(build.encode())
    return _FALLBACK[i % len(_FALLBACK)]


def new_figure(
    rows: int = 1, cols: int = 1, *, sharex: bool = False, sharey: bool = False
) -> tuple[Figure, list[Axes]]:
    """A ``WIDTH_PX`` × ``HEIGHT_PX`` figure and its axes, flattened row by row."""
    fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(rows, cols, squeeze=False, sharex=sharex, sharey=sharey)
    return fig, [ax for row in axes for ax in row]


def save(fig: Figure, path: Path) -> Path:
    """PNG at exactly ``SIZE_PX`` (no tight bounding box: the size is part of the contract)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=DPI, format="png", metadata={"Software": "hotpath-lab"})
    return path


def latency_axis(ax: Axes, axis: str = "y", *, log: bool = True) -> None:
    """An axis of values in ns (log scale unless ``log=False``), labelled by
    ``units.latency``."""
    formatter = FuncFormatter(lambda v, _pos: units.latency(v))
    scale = "log" if log else "linear"
    if axis == "y":
        ax.set_yscale(scale)
        ax.yaxis.set_major_formatter(formatter)
    else:
        ax.set_xscale(scale)
        ax.xaxis.set_major_formatter(formatter)
    ax.grid(True, which="major", alpha=0.35)
    ax.grid(True, which="minor", alpha=0.1)


def no_data(ax: Axes, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="#666")
    ax.set_xticks([])
    ax.set_yticks([])
