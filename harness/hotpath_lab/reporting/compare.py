"""What changed against an earlier run of the same scenario.

Headline figures side by side with their relative change, and for the end-to-end P99 a
verdict that accounts for noise: each run's P99 gets a bootstrap interval (see
``bootstrap.py``), and a change is called only when the two intervals do not overlap.
Single runs on a shared two-core machine move by several percent on their own; a bare
percentage would invite reading noise as a regression.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from hotpath_lab.reporting.bootstrap import BootstrapCI, percentile_ci
from hotpath_lab.reporting.loader import RunRef, interval_counts, run_path
from hotpath_lab.storage import figure_at, load_run

FIGURES: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    # (label, path inside a build's result, lower is better)
    ("e2e p50", ("latency_ns", "e2e", "p50"), True),
    ("e2e p99", ("latency_ns", "e2e", "p99"), True),
    ("e2e p99.9", ("latency_ns", "e2e", "p999"), True),
    ("e2e max", ("latency_ns", "e2e", "max"), True),
    ("tick-to-book p99", ("latency_ns", "tick_to_book", "p99"), True),
    ("orders/s", ("throughput", "orders_per_s"), False),
    ("CPU per order", ("throughput", "cpu_per_order_ns"), True),
    ("peak RSS", ("memory", "peak_rss_bytes"), True),
    ("GC total ms", ("gc", "total_ms"), True),
    ("machine noise", ("jitter", "stolen_share"), True),
)

NOISE_FACTOR = 2.0
"""Noise floors further apart than this factor make two runs' tails not like for like."""


def compare_runs(current: RunRef, previous: RunRef) -> pd.DataFrame:
    """One row per (build, figure) present in both runs."""
    a, b = load_run(previous), load_run(current)
    rows = []
    for build, now in b["builds"].items():
        before = a["builds"].get(build)
        if before is None:
            continue
        for label, path, lower_better in FIGURES:
            x, y = figure_at(before, path), figure_at(now, path)
            if x is None or y is None:
                continue
            change = (y - x) / x if x else None
            rows.append(
                {
                    "build": build,
                    "figure": label,
                    "previous": x,
                    "current": y,
                    "change": change,
                    "better": None if change in (None, 0) else (change < 0) == lower_better,
                }
            )
    return pd.DataFrame(
        rows, columns=["build", "figure", "previous", "current", "change", "better"]
    )


@dataclass(frozen=True)
class P99Verdict:
    build: str
    previous: BootstrapCI
    current: BootstrapCI

    @property
    def verdict(self) -> str:
        p, c = self.previous, self.current
        if c.low > p.high:
            return "higher (intervals do not overlap)"
        if c.high < p.low:
            return "lower (intervals do not overlap)"
        return "no clear change (intervals overlap)"


def p99_verdicts(
    current: RunRef, previous: RunRef, *, metric: str = "e2e", replicates: int = 400
) -> list[P99Verdict]:
    """Bootstrap intervals of the P99 in both runs, per build present in both."""
    cur, prev = interval_counts(run_path(current)), interval_counts(run_path(previous))
    out = []
    for build, logs in cur.items():
        if metric not in logs or metric not in prev.get(build, {}):
            continue
        out.append(
            P99Verdict(
                build,
                percentile_ci(prev[build][metric], 0.99, replicates=replicates),
                percentile_ci(logs[metric], 0.99, replicates=replicates),
            )
        )
    return out


def comparable(current: dict[str, Any], previous: dict[str, Any]) -> list[str]:
    """Reasons the two runs' numbers are not like for like (empty when they are)."""
    reasons = []
    ea, eb = previous["environment"], current["environment"]
    for key, what in (
        ("hostname", "machine"),
        ("cpu_model", "CPU"),
        ("python", "Python"),
        ("rustc", "Rust toolchain"),
        ("build_profile", "extension build profile"),
    ):
        if ea.get(key) != eb.get(key):
            reasons.append(f"{what} differs ({ea.get(key)} → {eb.get(key)})")
    if previous["scenario"].get("sha256") != current["scenario"].get("sha256"):
        reasons.append("the scenario file differs (another seed, scale or generator)")
    opts_a, opts_b = previous["options"], current["options"]
    reasons.extend(
        f"--{key} differs ({opts_a.get(key)} → {opts_b.get(key)})"
        for key in ("pace", "speed", "warmup")
        if opts_a.get(key) != opts_b.get(key)
    )
    for build, now in current["builds"].items():
        x = figure_at(previous["builds"].get(build, {}), ("jitter", "stolen_share"))
        y = figure_at(now, ("jitter", "stolen_share"))
        if x is None or y is None or max(x, y) < 0.002:  # both quiet: nothing to say
            continue
        if max(x, y) > NOISE_FACTOR * min(x, y):
            reasons.append(
                f"the machine's noise floor moved for {build} ({100 * x:.2f}% → "
                f"{100 * y:.2f}% of time lost): its tail percentiles moved with it"
            )
    return reasons


def previous_folder(folder: Path, results_root: Path | None = None) -> Path | None:
    """The latest earlier run of the same scenario (``storage.previous_run``)."""
    from hotpath_lab.storage import previous_run

    run = load_run(folder)
    root = results_root if results_root is not None else folder.parent.parent
    info = previous_run(root, run["scenario"]["name"], run["run_id"])
    return info.path if info is not None else None
