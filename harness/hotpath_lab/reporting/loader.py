"""Run folders as pandas DataFrames: the one way notebooks and reports read results.

Every function takes a run folder path or a run id (as ``hotpath results`` accepts) and
returns a tidy frame with one row per observation. Latencies stay in nanoseconds (columns
end in ``_ns``); plots and tables convert at the last moment.

==================  ==========================================================
``load_run``        the typed ``run.json`` (``storage.Run``): everything else
``load_runs``       one row per (run, build): headline figures of every run
``run_frame``       one row per (build, metric): count, min, p50 … p99.99, max, mean
``wire_frame``      one row per target of a wire run: rates, framing, CPU, floor multiples
``interval_frame``  one row per (build, metric, interval) from the ``.hlog``
``gc_frame``        one row per collection (``gc-<build>.csv``)
``gc_summary``      one row per build, including builds with zero collections
``cpu_frame``       one row per 100 ms CPU/RSS sample (``cpu-<build>.csv``)
``spectrum_frame``  one row per percentile line of the ``.hgrm`` files
``profile_frame``   one row per (build, owner): where the profiled time went
==================  ==========================================================

A wire run (``run.mode == "wire"``) has its floors (``zmq-echo``, ``tcp-echo``) beside its
builds: every per-build frame of latencies and files (``run_frame``, ``interval_frame``,
``spectrum_frame``, ``cpu_frame``) has a row per floor too, under ``build``; the GC frames
are empty (a gateway's collector is not observable from outside).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from hotpath_lab.reporting.hlog import IntervalCounts, quantiles, read_hgrm, read_interval_log
from hotpath_lab.storage import (
    METRICS,
    BuildResult,
    Run,
    iter_runs,
    load_run,
    resolve_run,
    results_root,
)
from hotpath_lab.storage.figures import FIGURE

__all__ = [
    "RunRef",
    "cpu_frame",
    "gc_frame",
    "gc_summary",
    "interval_counts",
    "interval_frame",
    "latest_run",
    "load_run",
    "load_runs",
    "profile_frame",
    "run_frame",
    "run_path",
    "spectrum_frame",
    "wire_frame",
]

RunRef = str | os.PathLike[str]
SUMMARY_COLUMNS = ("count", "min", "p50", "p90", "p99", "p999", "p9999", "max", "mean")
INTERVAL_QUANTILES = {"p50": 0.5, "p90": 0.9, "p99": 0.99, "p999": 0.999, "max": 1.0}


def run_path(run: RunRef, root: RunRef | None = None) -> Path:
    """A run folder from its path, or from its run id under ``root`` (default ``results/``)."""
    return resolve_run(run, Path(root) if root is not None else None)


def latest_run(root: RunRef | None = None, scenario: str | None = None) -> Path:
    """The newest complete run folder under ``root`` (default: ``results/``)."""
    runs = list(iter_runs(results_root(root), scenario))
    if not runs:
        where = results_root(root)
        raise FileNotFoundError(
            f"no run folders under {where}" + (f" for scenario {scenario!r}" if scenario else "")
        )
    return runs[-1].path


def load_runs(root: RunRef | None = None, scenario: str | None = None) -> pd.DataFrame:
    """Headline figures of every run under ``root``, one row per (run, build), oldest first."""
    rows = [
        _headline(info.run, build, r, info.path)
        for info in iter_runs(results_root(root), scenario)
        for build, r in info.run.builds.items()
    ]
    columns = [
        "scenario", "run_id", "created_utc", "git_sha", "dirty", "mode", "build", "agree",
        "e2e_p50_ns", "e2e_p99_ns", "e2e_p999_ns", "e2e_max_ns", "tick_to_book_p99_ns",
        "orders_per_s", "cpu_per_order_ns", "cpu_share", "peak_rss_bytes", "gc_count",
        "gc_total_ms",
        "gc_max_ms", "tail_in_gc_share", "noise_stolen_share", "noise_per_s", "path",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def _headline(run: Run, build: str, r: BuildResult, path: Path) -> dict[str, Any]:
    """One build's headline: in-process sections are ``None`` in a wire run, whose CPU and
    memory are its gateway process's (``storage.figures``)."""
    e2e, t2b, tp, gc = r.latency_ns.e2e, r.latency_ns.tick_to_book, r.throughput, r.gc
    return {
        "scenario": run.scenario.name,
        "run_id": run.run_id,
        "created_utc": pd.Timestamp(run.created_utc),
        "git_sha": run.environment.git.short,
        "dirty": bool(run.environment.git.dirty),
        "mode": run.mode,
        "build": build,
        "agree": run.agree,
        "e2e_p50_ns": e2e.p50,
        "e2e_p99_ns": e2e.p99,
        "e2e_p999_ns": e2e.p999,
        "e2e_max_ns": e2e.max,
        "tick_to_book_p99_ns": t2b.p99,
        "orders_per_s": tp.orders_per_s if tp else None,
        "cpu_per_order_ns": FIGURE["cpu_per_order"].of(r),
        "cpu_share": FIGURE["cpu_share"].of(r),
        "peak_rss_bytes": FIGURE["peak_rss"].of(r),
        "gc_count": gc.count if gc else None,
        "gc_total_ms": gc.total_ms if gc else None,
        "gc_max_ms": gc.max_ms if gc else None,
        "tail_in_gc_share": gc.tail_overlap.share if gc else None,
        # the machine's noise floor in that worker (absent in runs made with it off)
        "noise_stolen_share": r.jitter.stolen_share if r.jitter else None,
        "noise_per_s": r.jitter.per_second if r.jitter else None,
        "path": str(path),
    }


def run_frame(run: RunRef) -> pd.DataFrame:
    """Latency summary per (build, metric), in ns, from ``run.json`` (metrics with values)."""
    rows = []
    for build, r in load_run(run).measured.items():
        for metric in METRICS:
            s = r.latency_ns.of(metric)
            if s.count:
                rows.append(
                    {
                        "build": build,
                        "metric": metric,
                        **{k: getattr(s, k) for k in SUMMARY_COLUMNS},
                    }
                )
    return pd.DataFrame(rows, columns=["build", "metric", *SUMMARY_COLUMNS])


def interval_counts(run: RunRef) -> dict[str, dict[str, IntervalCounts]]:
    """``{build: {metric: IntervalCounts}}`` decoded from every ``<build>.hlog``."""
    folder = run_path(run)
    out = {}
    for build, r in load_run(folder).measured.items():
        if (folder / r.files.hlog).is_file():
            out[build] = read_interval_log(folder / r.files.hlog)
    return out


def interval_frame(run: RunRef, metrics: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Per-interval count and percentiles (ns) for every build and metric of the ``.hlog``."""
    rows = []
    for build, logs in interval_counts(run).items():
        for metric, ic in logs.items():
            if metrics is not None and metric not in metrics:
                continue
            qv = quantiles(ic.values, ic.counts, list(INTERVAL_QUANTILES.values()))
            for i in range(len(ic.start_s)):
                total = int(ic.total[i])
                mean = float(ic.counts[i] @ ic.values) / total if total else np.nan
                row = {
                    "build": build,
                    "metric": metric,
                    "interval": i,
                    "start_s": ic.start_s[i],
                    "end_s": ic.start_s[i] + ic.length_s[i],
                    "count": total,
                    "mean": mean,
                }
                row.update({k: qv[i, j] for j, k in enumerate(INTERVAL_QUANTILES)})
                rows.append(row)
    columns = ["build", "metric", "interval", "start_s", "end_s", "count", "mean"]
    return pd.DataFrame(rows, columns=[*columns, *INTERVAL_QUANTILES])


def gc_frame(run: RunRef) -> pd.DataFrame:
    """Every collection during the timed pass: build, generation, start_ms, pause_us, collected."""
    folder = run_path(run)
    frames = []
    for build, r in load_run(folder).builds.items():
        name = r.files.gc_csv
        if name is not None and (folder / name).is_file():
            df = pd.read_csv(folder / name)
            df.insert(0, "build", build)
            frames.append(df)
    columns = ["build", "generation", "start_ms", "pause_us", "collected"]
    if not frames:
        return pd.DataFrame(columns=columns)
    non_empty = [f for f in frames if len(f)]
    out = pd.concat(non_empty, ignore_index=True) if non_empty else frames[0].iloc[0:0]
    return out.astype({"generation": int, "collected": int})[columns]


def gc_summary(run: RunRef) -> pd.DataFrame:
    """One row per build (zero collections included): the GC section of ``run.json``."""
    rows = []
    for build, r in load_run(run).builds.items():
        gc, timed = r.gc, r.timed_pass
        if gc is None or timed is None:
            continue  # measured over the wire
        tail = gc.tail_overlap
        generation = {g: s.count for g, s in gc.by_generation.items()}
        rows.append(
            {
                "build": build,
                "collections": gc.count,
                "gen0": generation.get("0", 0),
                "gen1": generation.get("1", 0),
                "gen2": generation.get("2", 0),
                "total_pause_ms": gc.total_ms,
                "max_pause_ms": gc.max_ms,
                "pause_share_of_pass": gc.total_ms / 1e3 / timed.wall_s if timed.wall_s else np.nan,
                "slowest_orders": tail.slowest,
                "slowest_in_pause": tail.overlapped,
                "slowest_in_pause_share": tail.share,
            }
        )
    return pd.DataFrame(rows)


def cpu_frame(run: RunRef) -> pd.DataFrame:
    """CPU and RSS samples of each worker (``t_ms`` relative to the timed pass's ``t0``)."""
    folder = run_path(run)
    frames = []
    for build, r in load_run(folder).measured.items():
        name = r.files.cpu_csv
        if name is not None and (folder / name).is_file():
            df = pd.read_csv(folder / name, keep_default_na=False)
            df.insert(0, "build", build)
            frames.append(df)
    columns = [
        "build",
        "t_ms",
        "phase",
        "cpu_pct",
        "user_pct",
        "system_pct",
        "rss_bytes",
        "threads",
    ]
    non_empty = [f for f in frames if len(f)]
    return pd.concat(non_empty, ignore_index=True) if non_empty else pd.DataFrame(columns=columns)


def spectrum_frame(run: RunRef) -> pd.DataFrame:
    """The ``.hgrm`` percentile lines: build, metric, percentile (0..1), value_ns, total_count."""
    folder = run_path(run)
    frames = []
    for build, r in load_run(folder).measured.items():
        for metric, name in r.files.hgrm.items():
            if not (folder / name).is_file():
                continue
            t = read_hgrm(folder / name)
            frames.append(
                pd.DataFrame(
                    {
                        "build": build,
                        "metric": metric,
                        "percentile": t.percentile,
                        "value_ns": t.value_ns,
                        "total_count": t.total_count,
                    }
                )
            )
    columns = ["build", "metric", "percentile", "value_ns", "total_count"]
    non_empty = [f for f in frames if len(f)]
    return pd.concat(non_empty, ignore_index=True) if non_empty else pd.DataFrame(columns=columns)


def profile_frame(run: RunRef) -> pd.DataFrame:
    """Where the profiled time went: one row per (build, owner) with samples and share."""
    profiles = load_run(run).profiles
    rows = []
    for build, p in (profiles.builds if profiles else {}).items():
        total = p.attribution.samples
        for owner, n in p.attribution.by_owner.items():
            rows.append(
                {"build": build, "owner": owner, "samples": n, "share": n / total if total else 0}
            )
    return pd.DataFrame(rows, columns=["build", "owner", "samples", "share"])


WIRE_COLUMNS = [
    "build", "kind", "offered_per_s", "achieved_per_s", "frames", "batch_mean", "batch_max",
    "in_flight_max", "send_lag_p99_ns", "e2e_p50_ns", "e2e_p99_ns", "e2e_p999_ns",
    "trend_first_ns", "trend_last_ns", "gateway_cpu_share", "gateway_cpu_per_order_ns",
    "gateway_peak_rss_bytes", "loadgen_cpu_s", "errors", "zmq_floor_p50", "zmq_floor_p99",
    "zmq_floor_p999",
]  # fmt: skip


def wire_frame(run: RunRef) -> pd.DataFrame:
    """One row per target of a wire run (floors first): what the generator offered and
    achieved, its framing, the e2e percentiles and their multiples of the ZeroMQ floor, and
    the gateway process's CPU and memory. Empty for an in-process run."""
    r = load_run(run)
    multiples = r.wire.floor_multiples if r.wire else {}
    rows = []
    for name, t in r.measured.items():
        w = t.wire
        if w is None:
            continue
        zmq = multiples.get(f"{name}/zmq-echo")
        e2e = t.latency_ns.e2e
        rows.append(
            {
                "build": name,
                "kind": w.target,
                "offered_per_s": w.offered_per_s,
                "achieved_per_s": w.achieved_per_s,
                "frames": w.frames,
                "batch_mean": w.batch_mean,
                "batch_max": w.batch_max,
                "in_flight_max": w.in_flight_max,
                "send_lag_p99_ns": w.send_lag_ns.p99,
                "e2e_p50_ns": e2e.p50,
                "e2e_p99_ns": e2e.p99,
                "e2e_p999_ns": e2e.p999,
                "trend_first_ns": w.trend.e2e_p50_first_ns,
                "trend_last_ns": w.trend.e2e_p50_last_ns,
                "gateway_cpu_share": w.gateway.cpu_share,
                "gateway_cpu_per_order_ns": w.gateway.cpu_per_order_ns,
                "gateway_peak_rss_bytes": w.gateway.peak_rss_bytes,
                "loadgen_cpu_s": w.loadgen_cpu_s,
                "errors": sum(w.errors.values()),
                "zmq_floor_p50": zmq.e2e_p50 if zmq else (1.0 if name == "zmq-echo" else None),
                "zmq_floor_p99": zmq.e2e_p99 if zmq else (1.0 if name == "zmq-echo" else None),
                "zmq_floor_p999": zmq.e2e_p999 if zmq else (1.0 if name == "zmq-echo" else None),
            }
        )
    return pd.DataFrame(rows, columns=WIRE_COLUMNS)
