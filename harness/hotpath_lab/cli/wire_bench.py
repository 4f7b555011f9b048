"""``hotpath bench --mode wire``: the floors and the gateways over the wire, one run folder."""

from __future__ import annotations

import argparse

from hotpath_lab.cli.common import (
    EXIT_CHECK_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    console,
    console_err,
    drop_copy_complete,
    open_scenario,
)
from hotpath_lab.cli.progress import ProgressDisplay
from hotpath_lab.cli.wire_common import wire_settings
from hotpath_lab.options import RunOptions
from hotpath_lab.pacing import Pace, PaceError
from hotpath_lab.storage import load_run, results_root
from hotpath_lab.tables import render_run
from hotpath_lab.wire.bench import check_wire_targets, run_wire_bench
from hotpath_lab.wire.targets import GATEWAYS, parse_targets


def cmd_wire_bench(args: argparse.Namespace) -> int:
    if args.profile:
        console_err.print("[bold red]error:[/] --profile measures in-process builds only")
        return EXIT_USAGE
    builds = parse_targets(args.builds or ",".join(GATEWAYS), allow_floors=False)
    try:
        settings = wire_settings(args)
    except ValueError as exc:
        console_err.print(f"[bold red]error:[/] {exc}", highlight=False)
        return EXIT_USAGE
    options = RunOptions(
        builds=tuple(builds),
        pace=args.pace,
        speed=args.speed,
        warmup=args.warmup,
        throughput=False,  # the in-process passes: not measured over the wire
        overhead=False,
        jitter_seconds=0.0,
        scale=args.scale,
        seed=args.seed,
        drop_copy=args.drop_copy,
        snapshot_every=args.snapshot_every,
    )
    if args.drop_copy_restart is not None:
        console_err.print("[bold red]error:[/] --drop-copy-restart is for in-process runs")
        return EXIT_USAGE
    try:
        options.check()
    except ValueError as exc:
        console_err.print(f"[bold red]error:[/] {exc}", highlight=False)
        return EXIT_USAGE
    check_wire_targets(builds)  # before a scenario is built: exit 2 naming what is missing
    scenario = open_scenario(args.scenario, seed=args.seed, scale=args.scale)
    try:  # before any work: a schedule that cannot be kept measures nothing
        Pace.parse(args.pace, args.speed).check_schedule(scenario.records["ts"])
    except PaceError as exc:
        console_err.print(f"[bold red]error:[/] {exc}", highlight=False)
        return EXIT_USAGE
    with ProgressDisplay(console_err) as display:

        def progress(target: str, phase: str, done: int, total: int) -> None:
            display.update(f"{target:<12} {phase:<14}", done, total)

        folder = run_wire_bench(
            scenario, options, settings, results_root(args.results_dir), progress=progress
        )
    run = load_run(folder)
    render_run(run, console)
    console.print(f"run folder: {folder}", highlight=False)
    console.print(f"report: {folder / 'report.md'}", highlight=False)
    return EXIT_OK if run.agree and drop_copy_complete(run) else EXIT_CHECK_FAILED
