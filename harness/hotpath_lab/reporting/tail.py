"""What the garbage collector did to the tail, per build, measured the same way for all.

Two views, from two sources:

- **exact, per order** (from ``run.json``, computed by the worker from the raw stamps): of
  the slowest 1 % / 0.1 % / 0.01 % of order requests, how many were in flight while a
  collection ran (the pause intersects [intended, end]). The worker stores the 0.1 %
  level as ``gc.tail_overlap``, and the other levels in ``gc.tail_overlap_levels``.
- **per interval** (from the ``.hlog`` and ``gc-<build>.csv``): each one-second interval is
  marked by whether a pause started in it; the P99 of the intervals with pauses is set
  against the P99 of the ones without, and the share of the run's tail (orders slower than
  the whole run's P99) that fell in intervals with pauses is counted.

The Rust builds go through the same code and show zero collections: measured, not assumed.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from hotpath_lab.reporting.hlog import IntervalCounts, quantiles
from hotpath_lab.reporting.loader import RunRef, gc_frame, interval_counts, run_path
from hotpath_lab.storage import load_run

LEVELS = ("0.01", "0.001", "0.0001")


def pauses_by_interval(ic: IntervalCounts, gc: pd.DataFrame) -> pd.DataFrame:
    """Per interval: number of pauses that started in it, their total and longest (ms)."""
    starts_s = gc["start_ms"].to_numpy() / 1e3 if len(gc) else np.zeros(0)
    pauses_ms = gc["pause_us"].to_numpy() / 1e3 if len(gc) else np.zeros(0)
    rows = []
    for i, (s, length) in enumerate(zip(ic.start_s, ic.length_s, strict=True)):
        inside = (starts_s >= s) & (starts_s < s + length)
        rows.append(
            {
                "interval": i,
                "start_s": s,
                "pauses": int(inside.sum()),
                "pause_ms": float(pauses_ms[inside].sum()),
                "max_pause_ms": float(pauses_ms[inside].max()) if inside.any() else 0.0,
            }
        )
    return pd.DataFrame(rows)


def tail_by_interval(ic: IntervalCounts, with_pause: np.ndarray) -> dict[str, Any]:
    """P99 with and without pauses, and the share of the run's tail in paused intervals."""
    p99_all = float(quantiles(ic.values, ic.merged(), [0.99])[0])
    above = ic.values > p99_all
    tail_counts = ic.counts[:, above].sum(axis=1)
    tail_total = int(tail_counts.sum())
    paused = ic.counts[with_pause].sum(axis=0)
    calm = ic.counts[~with_pause].sum(axis=0)
    return {
        "p99_ns": p99_all,
        "p99_paused_intervals_ns": float(quantiles(ic.values, paused, [0.99])[0])
        if paused.sum()
        else np.nan,
        "p99_other_intervals_ns": float(quantiles(ic.values, calm, [0.99])[0])
        if calm.sum()
        else np.nan,
        "intervals_with_pauses": int(with_pause.sum()),
        "intervals": len(with_pause),
        "tail_orders": tail_total,
        "tail_in_paused_intervals": int(tail_counts[with_pause].sum()),
        "tail_in_paused_share": float(tail_counts[with_pause].sum()) / tail_total
        if tail_total
        else 0.0,
    }


def tail_table(run: RunRef, metric: str = "e2e") -> pd.DataFrame:
    """One row per build: collections, pauses, and how much of the tail they explain."""
    folder = run_path(run)
    gc_all = gc_frame(folder)
    logs = interval_counts(folder)
    rows = []
    for build, r in load_run(folder).builds.items():
        gc = r.gc
        if gc is None:
            continue  # measured over the wire: no collector record
        row: dict[str, Any] = {
            "build": build,
            "collections": gc.count,
            "total_pause_ms": gc.total_ms,
            "max_pause_ms": gc.max_ms,
        }
        for level in LEVELS:
            t = gc.overlap_at(level)
            label = f"slowest {float(level) * 100:g}% in pause"
            row[label] = f"{t.overlapped}/{t.slowest} ({100 * t.share:.0f}%)" if t else None
        ic = logs.get(build, {}).get(metric)
        if ic is not None:
            pauses = pauses_by_interval(ic, gc_all[gc_all["build"] == build])
            row.update(tail_by_interval(ic, pauses["pauses"].to_numpy() > 0))
        rows.append(row)
    return pd.DataFrame(rows)
