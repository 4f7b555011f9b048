"""PNG plots of one run folder (matplotlib, Agg): ``render_all(run_data, folder)``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hotpath_lab.plots.breakdown import plot_stage_breakdown
from hotpath_lab.plots.gc import plot_gc_pauses
from hotpath_lab.plots.migration import plot_migration
from hotpath_lab.plots.profile import plot_profile_shares
from hotpath_lab.plots.resources import plot_cpu_memory, plot_throughput
from hotpath_lab.plots.spectrum import plot_spectrum, plot_stage_spectra
from hotpath_lab.plots.timeline import plot_latency_over_time
from hotpath_lab.reporting.migration import phases_in
from hotpath_lab.reporting.run_data import RunData

PlotFn = Callable[[RunData, Path], Path]

PLOTS: dict[str, tuple[PlotFn, str]] = {
    "spectrum.png": (plot_spectrum, "Latency percentile spectrum (end-to-end, tick-to-book)"),
    "spectrum-stages.png": (plot_stage_spectra, "Percentile spectrum per stage"),
    "latency-over-time.png": (plot_latency_over_time, "Latency over time, with GC pauses"),
    "gc-pauses.png": (plot_gc_pauses, "Garbage-collector pauses"),
    "stage-breakdown.png": (plot_stage_breakdown, "Stage breakdown"),
    "throughput.png": (plot_throughput, "Throughput and CPU per order"),
    "cpu-memory.png": (plot_cpu_memory, "CPU and memory over the run"),
    "profile.png": (plot_profile_shares, "Where the time goes (profile)"),
    "migration.png": (plot_migration, "The migration path: each phase's latency and cost"),
}


WIRE_PLOTS = ("spectrum.png", "latency-over-time.png", "cpu-memory.png")
"""The plots a wire run has: no stages, GC record, closed-loop pass or profile over the wire."""


def render_all(data: RunData, out_dir: Path, *, profile: bool | None = None) -> dict[str, Path]:
    """Every plot of the run's mode into ``out_dir``; the profile plot only when the run
    has profiles."""
    want_profile = bool(data.profiles) if profile is None else profile
    out = {}
    for name, (fn, _title) in PLOTS.items():
        if name == "profile.png" and not want_profile:
            continue
        if name == "migration.png" and len(phases_in(data)) < 2:
            continue
        if data.wire and name not in WIRE_PLOTS:
            continue
        out[name] = fn(data, out_dir / name)
    return out
