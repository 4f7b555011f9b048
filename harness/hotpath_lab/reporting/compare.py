"""What changed between two runs: the one comparison engine of the lab.

``report.md`` ("Changes since the previous run") and ``hotpath results compare`` both use
it; every function takes the current run first, then the one it is compared with:

- ``verdicts``: per build, metric and percentile, the previous and current values with
  their bootstrap intervals (``bootstrap.py``, from the ``.hlog`` interval histograms), the
  relative change with the interval of the bootstrap ratio, and a verdict: *higher* or
  *lower* when that interval excludes zero, *no clear change* when it does not. Single
  runs on a shared two-core machine move by several percent on their own; a bare
  percentage would invite reading noise as a regression.
- ``compare_runs``: the other headline figures side by side (``storage.figures``), single
  values without an interval (throughput, CPU, memory, GC, machine noise).
- ``comparable``: the reasons two runs' numbers are not like for like.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from hotpath_lab import units
from hotpath_lab.reporting.bootstrap import BootstrapCI, ChangeCI, change_cis
from hotpath_lab.reporting.hlog import IntervalCounts
from hotpath_lab.reporting.loader import RunRef, interval_counts, run_path
from hotpath_lab.storage import Run, load_run, previous_run
from hotpath_lab.storage.figures import FIGURE, Figure

COMPARED_METRICS = ("e2e", "service")
COMPARED_QUANTILES = (0.5, 0.99, 0.999)
REPLICATES = 400

HEADLINE: tuple[Figure, ...] = tuple(
    FIGURE[k]
    for k in (
        "e2e_p50",
        "e2e_p99",
        "e2e_p999",
        "e2e_max",
        "tick_to_book_p99",
        "throughput_orders",
        "cpu_per_order",
        "peak_rss",
        "gc_total_ms",
        "machine_noise",
    )
)
"""Figures of ``compare_runs``: the headline of each build, one value per run."""

NOISE_FACTOR = 2.0
"""Noise floors further apart than this factor make two runs' tails not like for like."""

HIGHER, LOWER, UNCLEAR = "higher", "lower", "no clear change"


def quantile_label(q: float) -> str:
    """``0.99`` → ``P99``, ``0.999`` → ``P99.9``, ``0.5`` → ``P50``."""
    return f"P{100 * q:.10g}"


@dataclass(frozen=True)
class Verdict:
    """One build's metric at one percentile: the previous run (``ci.baseline``) against the
    current one (``ci.candidate``)."""

    build: str
    metric: str
    ci: ChangeCI

    @property
    def quantile(self) -> float:
        return self.ci.quantile

    @property
    def verdict(self) -> str:
        """``higher`` / ``lower`` when the change's interval lies wholly on one side of
        zero, ``no clear change`` otherwise (or when it could not be computed)."""
        if self.ci.low > 0:
            return HIGHER
        if self.ci.high < 0:
            return LOWER
        return UNCLEAR


def verdicts(
    current: RunRef,
    previous: RunRef,
    *,
    metrics: Sequence[str] = COMPARED_METRICS,
    quantiles: Sequence[float] = COMPARED_QUANTILES,
    replicates: int = REPLICATES,
) -> list[Verdict]:
    """Per build present in both runs (in the current run's order), per metric present in
    both interval logs, per quantile: the change from ``previous`` to ``current`` and its
    verdict."""
    return verdicts_of(
        interval_counts(run_path(current)),
        interval_counts(run_path(previous)),
        metrics=metrics,
        quantiles=quantiles,
        replicates=replicates,
    )


def verdicts_of(
    current: dict[str, dict[str, IntervalCounts]],
    previous: dict[str, dict[str, IntervalCounts]],
    *,
    metrics: Sequence[str] = COMPARED_METRICS,
    quantiles: Sequence[float] = COMPARED_QUANTILES,
    replicates: int = REPLICATES,
) -> list[Verdict]:
    """``verdicts`` from interval logs already read (``loader.interval_counts``)."""
    out: list[Verdict] = []
    for build, logs in current.items():
        for metric in metrics:
            if metric not in logs or metric not in previous.get(build, {}):
                continue
            cis = change_cis(
                previous[build][metric], logs[metric], quantiles, replicates=replicates
            )
            out.extend(Verdict(build, metric, ci) for ci in cis)
    return out


def verdict_cells(v: Verdict) -> tuple[str, str, str, str, str, str, str]:
    """One verdict as text cells, the same in ``report.md`` and the console: build, metric,
    percentile, baseline [interval], candidate [interval], change [interval], verdict."""

    def value(ci: BootstrapCI) -> str:
        return f"{units.latency(ci.estimate)} [{units.latency(ci.low)}, {units.latency(ci.high)}]"

    c = v.ci
    change = f"{units.signed_pct(c.change)} [{units.signed_pct(c.low)}, {units.signed_pct(c.high)}]"
    return (
        v.build,
        v.metric,
        quantile_label(v.quantile),
        value(c.baseline),
        value(c.candidate),
        change,
        v.verdict,
    )


def compare_runs(current: RunRef, previous: RunRef) -> pd.DataFrame:
    """One row per (build, headline figure) present in both runs: previous, current, the
    relative change and whether it is for the better (``None`` when unchanged)."""
    return compare_models(load_run(current), load_run(previous))


def compare_models(current: Run, previous: Run) -> pd.DataFrame:
    """``compare_runs`` of two runs already loaded."""
    rows = []
    for build, now in current.builds.items():
        before = previous.builds.get(build)
        if before is None:
            continue
        for figure in HEADLINE:
            x, y = figure.of(before), figure.of(now)
            if x is None or y is None:
                continue
            change = (y - x) / x if x else None
            rows.append(
                {
                    "build": build,
                    "figure": figure.label,
                    "unit": figure.unit,
                    "previous": x,
                    "current": y,
                    "change": change,
                    "better": None if not change else (change < 0) == figure.lower_is_better,
                }
            )
    columns = ["build", "figure", "unit", "previous", "current", "change", "better"]
    return pd.DataFrame(rows, columns=columns)


def comparable(current: Run, previous: Run) -> list[str]:
    """Reasons the two runs' numbers are not like for like (empty when they are)."""
    reasons = []
    ea, eb = previous.environment, current.environment
    for what, a, b in (
        ("machine", ea.hostname, eb.hostname),
        ("CPU", ea.cpu_model, eb.cpu_model),
        ("Python", ea.python, eb.python),
        ("Rust toolchain", ea.rustc, eb.rustc),
        ("extension build profile", ea.build_profile, eb.build_profile),
        ("toolkit build profile", ea.toolkit_build_profile, eb.toolkit_build_profile),
        ("canary (HOTPATH_CANARY)", ea.canary or "off", eb.canary or "off"),
    ):
        if a != b:
            reasons.append(f"{what} differs ({a} → {b})")
    if previous.mode != current.mode:
        reasons.append(
            f"one run is {previous.mode}, the other {current.mode}: another path is measured"
        )
    wa, wb = previous.wire, current.wire
    if wa is not None and wb is not None:
        reasons.extend(
            f"--{key} differs ({a} → {b})"
            for key, a, b in (
                ("engine", wa.settings.engine, wb.settings.engine),
                ("poll", wa.settings.poll, wb.settings.poll),
                ("max-batch", wa.settings.max_batch, wb.settings.max_batch),
                ("window", wa.settings.window, wb.settings.window),
            )
            if a != b
        )
    if previous.scenario.sha256 != current.scenario.sha256:
        reasons.append("the scenario file differs (another seed, scale or generator)")
    oa, ob = previous.options, current.options
    reasons.extend(
        f"--{key} differs ({a} → {b})"
        for key, a, b in (
            ("pace", oa.pace, ob.pace),
            ("speed", oa.speed, ob.speed),
            ("warmup", oa.warmup, ob.warmup),
        )
        if a != b
    )
    noise = FIGURE["machine_noise"]
    for build, now in current.builds.items():
        was = previous.builds.get(build)
        x, y = (noise.of(was) if was else None), noise.of(now)
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
    run = load_run(folder)
    root = results_root if results_root is not None else folder.parent.parent
    info = previous_run(root, run.scenario.name, run.run_id)
    return info.path if info is not None else None
