"""Reading run folders (``loader``), analysing them (``tail``, ``bootstrap``, ``compare``) and
writing ``report.md`` (``report``)."""

from __future__ import annotations

from hotpath_lab.reporting.loader import (
    cpu_frame,
    gc_frame,
    gc_summary,
    interval_frame,
    latest_run,
    load_run,
    load_runs,
    profile_frame,
    run_frame,
    spectrum_frame,
)

__all__ = [
    "cpu_frame",
    "gc_frame",
    "gc_summary",
    "interval_frame",
    "latest_run",
    "load_run",
    "load_runs",
    "profile_frame",
    "run_frame",
    "spectrum_frame",
]
