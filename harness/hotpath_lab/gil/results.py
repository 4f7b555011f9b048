"""``gil.json``, ``gil.md`` and the run folder of ``hotpath gil``.

``results/<scenario>/gil-<utc>-<sha>/`` holds ``gil.json`` (a ``GilRun``, through the same
codec as ``run.json``, with the machine and toolchain of ``hotpath_lab.environment``),
``gil.md`` (the table) and ``gil.png``/``gil.svg`` (the plot). The folder appears whole or
not at all (``atomic_directory``).
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from hotpath_format import EventFile
from hotpath_lab import environment, units
from hotpath_lab.atomic import atomic_write_bytes
from hotpath_lab.gil.experiment import Experiment, Point
from hotpath_lab.gil.modes import ASYNCIO_YIELD_EVERY
from hotpath_lab.inspection import summarize
from hotpath_lab.storage import decode, document_bytes, new_results_folder
from hotpath_lab.storage.codec import doc
from hotpath_lab.storage.folders import utc_timestamp
from hotpath_lab.storage.latency_model import LatencySummary
from hotpath_lab.storage.run_model import Environment, Scenario

GIL_JSON = "gil.json"
GIL_MD = "gil.md"
GIL_SCHEMA = 1


@dataclass(frozen=True, kw_only=True)
class GilSettings:
    levels: tuple[int, ...] = field(metadata=doc("the concurrency levels K measured"))
    modes: tuple[str, ...]
    cores: int = field(metadata=doc("CPUs available to the process (its affinity)"))
    max_concurrency: int = field(metadata=doc("as asked for; levels never exceed the shards"))
    switch_interval_s: float = field(
        metadata=doc("sys.getswitchinterval(): how long a Python thread keeps the GIL if asked")
    )
    asyncio_yield_every: int = field(metadata=doc("events between an asyncio task's yields"))
    scale: float
    seed: int | None
    load_average: tuple[float, ...] = field(
        metadata=doc("os.getloadavg() when the run started: others' load on a shared machine")
    )


@dataclass(frozen=True, kw_only=True)
class GilShard:
    account: int
    events: int = field(metadata=doc("all market data plus this account's order requests"))
    order_requests: int
    digest: str = field(metadata=doc("report digest of a plain single-engine replay"))


@dataclass(frozen=True, kw_only=True)
class GilPoint:
    mode: str
    concurrency: int
    wall_s: float = field(metadata=doc("first worker started to last worker finished"))
    orders_per_s: float
    events_per_s: float
    speedup: float = field(metadata=doc("orders_per_s over the same mode's at K = 1"))
    order_latency_ns: LatencySummary = field(
        metadata=doc("service time of each order request's call, closed loop")
    )
    cores_busy: float = field(
        metadata=doc("process CPU time / elapsed over the mode's run: cores the workers used")
    )
    mismatched_shards: tuple[int, ...] = field(
        metadata=doc("accounts whose shard digest differs from the plain replay's (none = agree)")
    )


@dataclass(frozen=True, kw_only=True)
class GilFiles:
    plot_png: str
    plot_svg: str
    table_md: str


@dataclass(frozen=True, kw_only=True)
class GilRun:
    """``results/<scenario>/gil-<utc>-<sha>/gil.json``."""

    schema: int
    run_id: str
    created_utc: str
    duration_s: float
    scenario: Scenario
    environment: Environment
    settings: GilSettings
    shards: tuple[GilShard, ...]
    points: tuple[GilPoint, ...]
    agree: bool = field(metadata=doc("every mode gave every shard the plain replay's digest"))
    files: GilFiles


def gil_points(experiment: Experiment) -> tuple[GilPoint, ...]:
    base = {p.mode: p.orders_per_s for p in experiment.points if p.concurrency == 1}
    return tuple(_gil_point(p, base.get(p.mode)) for p in experiment.points)


def _gil_point(p: Point, base: float | None) -> GilPoint:
    return GilPoint(
        mode=p.mode,
        concurrency=p.concurrency,
        wall_s=p.wall_ns / 1e9,
        orders_per_s=p.orders_per_s,
        events_per_s=p.events_per_s,
        speedup=p.orders_per_s / base if base else 0.0,
        order_latency_ns=p.order_latency,
        cores_busy=p.cores_busy,
        mismatched_shards=p.mismatched_shards,
    )


def table_markdown(run: GilRun) -> str:
    """The table of ``gil.md``: one row per mode and level."""
    lines = [
        f"# GIL experiment: {run.scenario.name}",
        "",
        f"{run.environment.cpu_model}, {run.settings.cores} cores available; "
        f"load average {run.settings.load_average[0]:.2f} at the start; "
        f"git {run.environment.git.short}; {run.run_id}. Closed loop: throughput over the "
        "wall time of all workers, latency = service time of each order request's call "
        "(docs/gil.md).",
        "",
        "| mode | K | orders/s | events/s | speed-up vs K=1 | cores busy | P50 | P99 | P99.9 "
        "| max | digests |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for p in sorted(run.points, key=lambda p: (run.settings.modes.index(p.mode), p.concurrency)):
        lat = p.order_latency_ns
        agree = "agree" if not p.mismatched_shards else f"DIFFER: {p.mismatched_shards}"
        over = " (over)" if p.concurrency > run.settings.cores else ""
        lines.append(
            f"| {p.mode} | {p.concurrency}{over} | {units.count(p.orders_per_s)} "
            f"| {units.count(p.events_per_s)} | {units.ratio(p.speedup)} "
            f"| {p.cores_busy:.2f} | {units.latency(lat.p50)} | {units.latency(lat.p99)} "
            f"| {units.latency(lat.p999)} | {units.latency(lat.max)} | {agree} |"
        )
    lines += ["", "Shards (all market data plus one account's order requests):", ""]
    lines += [
        f"- account {s.account}: {s.events:,} events, {s.order_requests:,} order requests, "
        f"digest `{s.digest[:16]}…`"
        for s in run.shards
    ]
    return "\n".join(lines) + "\n"


def write_gil_run(
    scenario: EventFile,
    experiment: Experiment,
    results_root: Path,
    *,
    max_concurrency: int,
    cores: int,
    modes: tuple[str, ...],
    scale: float,
    seed: int | None,
    started_at: float,
    load_average: tuple[float, float, float],
) -> Path:
    """Writes the run folder atomically; returns it."""
    env = environment.collect()
    summary = summarize(scenario)
    name = summary.name or scenario.path.stem
    stem = "gil"
    from hotpath_lab.plots.gil import plot_gil

    with new_results_folder(results_root, name, "gil-", env["git"]["short"], started_at) as (
        final,
        staging,
    ):
        run = GilRun(
            schema=GIL_SCHEMA,
            run_id=final.name,
            created_utc=utc_timestamp(started_at),
            duration_s=time.time() - started_at,
            scenario=Scenario.of(summary),
            environment=decode(Environment, env, "environment"),
            settings=GilSettings(
                levels=tuple(experiment.levels),
                modes=modes,
                cores=cores,
                max_concurrency=max_concurrency,
                switch_interval_s=sys.getswitchinterval(),
                asyncio_yield_every=ASYNCIO_YIELD_EVERY,
                scale=scale,
                seed=seed,
                load_average=load_average,
            ),
            shards=tuple(
                GilShard(
                    account=s.account,
                    events=s.events,
                    order_requests=s.order_requests,
                    digest=experiment.reference[s.account],
                )
                for s in experiment.shards
            ),
            points=gil_points(experiment),
            agree=experiment.agree,
            files=GilFiles(plot_png=f"{stem}.png", plot_svg=f"{stem}.svg", table_md=GIL_MD),
        )
        plot_gil(run, staging / stem)
        atomic_write_bytes(staging / GIL_MD, table_markdown(run).encode())
        atomic_write_bytes(staging / GIL_JSON, document_bytes(run))
    return final


def load_gil_run(folder: Path) -> GilRun:
    path = folder / GIL_JSON
    return decode(GilRun, json.loads(path.read_text()), str(path))
