"""``hotpath gil``: the GIL experiment, throughput and per-order P99 as workers are added."""

from __future__ import annotations

import argparse
import os
import time
from typing import Any

from rich.table import Table

from hotpath_lab import units
from hotpath_lab.cli.common import (
    EXIT_CHECK_FAILED,
    EXIT_OK,
    add_results_dir,
    add_scenario_options,
    console,
    console_err,
    open_scenario,
)
from hotpath_lab.cli.outputs import check_output_dir
from hotpath_lab.gil.experiment import available_cores, run_experiment
from hotpath_lab.gil.modes import MODES
from hotpath_lab.gil.results import GilRun, load_gil_run, write_gil_run
from hotpath_lab.storage import results_root


def positive_int(text: str) -> int:
    """argparse type: an integer ≥ 1."""
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if v < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text}")
    return v


def mode_list(text: str) -> tuple[str, ...]:
    """argparse type: comma-separated modes, each one of ``MODES``, kept in ``MODES`` order."""
    asked = {m.strip() for m in text.split(",") if m.strip()}
    unknown = sorted(asked - set(MODES))
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown mode(s) {', '.join(unknown)}: choose from {', '.join(MODES)}"
        )
    if not asked:
        raise argparse.ArgumentTypeError("name at least one mode")
    return tuple(m for m in MODES if m in asked)


def register(sub: Any) -> None:
    cores = available_cores()
    p = sub.add_parser(
        "gil",
        help="the GIL experiment: throughput and per-order P99 as concurrency grows, per mode",
        description="Split the scenario into one shard per account (all market data plus that "
        "account's order requests), deal the shards to K workers and drive them closed-loop "
        "in four ways: Python threads, asyncio tasks, the Rust engine from Python threads with "
        "the GIL released, Rust threads. K goes from 1 to the cores available, then to "
        "--max-concurrency (never beyond the shards). Writes results/<scenario>/gil-<utc>-<sha>/ "
        "with gil.json, gil.md and gil.png/.svg. Exit 1 if a mode gives any shard another "
        "report digest than a plain replay (docs/gil.md).",
    )
    add_scenario_options(p)
    p.add_argument(
        "--max-concurrency",
        type=positive_int,
        default=2 * cores,
        metavar="N",
        help=f"the highest K, measured after 1..cores (default 2 × cores = {2 * cores})",
    )
    p.add_argument(
        "--modes",
        type=mode_list,
        default=MODES,
        help=f"comma-separated subset of {', '.join(MODES)} (default: all)",
    )
    add_results_dir(p, "gil run folders")
    p.set_defaults(handler=cmd_gil)


def cmd_gil(args: argparse.Namespace) -> int:
    check_output_dir(results_root(args.results_dir), "--results-dir")
    scenario = open_scenario(args.scenario, seed=args.seed, scale=args.scale)
    cores = available_cores()
    started_at = time.time()
    load_average = os.getloadavg()

    def progress(mode: str, k: int) -> None:
        console_err.print(f"K={k:<3} {mode} …", highlight=False)

    experiment = run_experiment(
        scenario, max_concurrency=args.max_concurrency, modes=args.modes, cores=cores,
        progress=progress,
    )  # fmt: skip
    folder = write_gil_run(
        scenario,
        experiment,
        results_root(args.results_dir),
        max_concurrency=args.max_concurrency,
        cores=cores,
        modes=args.modes,
        scale=args.scale,
        seed=args.seed,
        started_at=started_at,
        load_average=load_average,
    )
    run = load_gil_run(folder)
    render_gil(run)
    console.print(f"gil folder: {folder}", highlight=False)
    console.print(f"plot: {folder / run.files.plot_png}", highlight=False)
    if not run.agree:
        bad = sorted({(p.mode, a) for p in run.points for a in p.mismatched_shards})
        console_err.print(
            "[bold red]digests differ:[/] "
            + ", ".join(f"{mode} on account {a}'s shard" for mode, a in bad),
            highlight=False,
        )
        return EXIT_CHECK_FAILED
    console.print(
        f"[green]digests agree:[/] {len(run.shards)} shards, every mode, every K", highlight=False
    )
    return EXIT_OK


def render_gil(run: GilRun) -> None:
    table = Table(
        title=f"{run.scenario.name}: {run.settings.cores} cores available (perfect scaling "
        f"{run.settings.cores}×); closed loop, latency = service time of an order's call",
        title_justify="left",
        show_edge=False,
    )
    cols = ("mode", "K", "orders/s", "events/s", "speed-up", "cores busy", "p50", "p99", "p99.9",
            "max")  # fmt: skip
    for col in cols:
        table.add_column(col, justify="left" if col == "mode" else "right")
    for p in sorted(run.points, key=lambda p: (run.settings.modes.index(p.mode), p.concurrency)):
        lat = p.order_latency_ns
        table.add_row(
            p.mode if not p.mismatched_shards else f"[red]{p.mode} (digests differ)[/]",
            f"{p.concurrency}{'*' if p.concurrency > run.settings.cores else ''}",
            units.count(p.orders_per_s),
            units.count(p.events_per_s),
            units.ratio(p.speedup),
            f"{p.cores_busy:.2f}",
            units.latency(lat.p50),
            units.latency(lat.p99),
            units.latency(lat.p999),
            units.latency(lat.max),
        )
    console.print(table)
    if any(p.concurrency > run.settings.cores for p in run.points):
        console.print("* more workers than cores", highlight=False)
    load = run.settings.load_average[0]
    if load > 0.5:
        console.print(
            f"load average {load:.2f} when the run started: other work shared the cores, "
            "so scaling is understated",
            highlight=False,
        )
