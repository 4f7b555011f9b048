"""``hotpath bench``: drive a scenario through the builds and keep the results; with
``--mode wire``, through the gateway processes over the wire (``hotpath_lab.wire``)."""

from __future__ import annotations

import argparse
from typing import Any

from hotpath_lab.bench import check_options, run_bench
from hotpath_lab.cli.common import (
    EXIT_CHECK_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    add_results_dir,
    add_scenario_options,
    console,
    console_err,
    drop_copy_complete,
    open_scenario,
)
from hotpath_lab.cli.outputs import check_output_dir
from hotpath_lab.cli.progress import ProgressDisplay
from hotpath_lab.cli.wire_bench import cmd_wire_bench
from hotpath_lab.cli.wire_common import add_wire_options
from hotpath_lab.drivers.builds import DEFAULT_BUILDS
from hotpath_lab.options import ProfileSettings, RunOptions
from hotpath_lab.pacing import Pace, PaceError
from hotpath_lab.storage import load_run, results_root
from hotpath_lab.tables import render_run
from hotpath_lab.wire.targets import GATEWAYS


def register(sub: Any) -> None:
    p = sub.add_parser(
        "bench",
        help="measure the builds on a scenario",
        description="Replay a scenario through each build in its own process (warm-up, a "
        "timed pass under the chosen pacing, a closed-loop throughput pass, a driver-overhead "
        "pass), record latency per stage in HDR histograms, CPU, memory and GC pauses, check "
        "that all builds produced the same reports, and write a run folder under results/. "
        "With --mode wire: the ZeroMQ and TCP floors and each gateway build as processes, "
        "driven over loopback by hotpath-loadgen (docs/wire.md); every gateway's reports must "
        "equal the in-process reports of the scenario (exit 1 otherwise).",
    )
    add_scenario_options(p)
    p.add_argument(
        "--mode",
        choices=("in-process", "wire"),
        default="in-process",
        help="in-process: the builds in worker processes; wire: the gateways over the wire "
        "(default: %(default)s)",
    )
    p.add_argument(
        "--builds",
        default=None,
        help="comma-separated builds: python, hybrid-risk, hybrid-risk-exec (the migration's "
        "middle phases, docs/migration.md), rust-ffi, rust-native, nautilus (a peer, in "
        ".venv-peers: docs/peers.md), or a plug-in "
        f"module:attribute (default: {','.join(DEFAULT_BUILDS)}); with --mode wire: "
        f"{', '.join(GATEWAYS)} (default: all; the floors always run)",
    )
    p.add_argument(
        "--pace",
        default="recorded",
        help="recorded (open loop at the scenario's timestamps / speed), rate:N "
        "(open loop, N events/s) or max (closed loop) (default: %(default)s)",
    )
    p.add_argument(
        "--speed",
        type=float,
        default=1.0,
        help="time compression for --pace recorded (2 = twice as fast)",
    )
    p.add_argument(
        "--warmup",
        type=int,
        default=50_000,
        help="events replayed through a throw-away engine first (default %(default)s)",
    )
    p.add_argument(
        "--no-throughput", action="store_true", help="skip the closed-loop throughput pass"
    )
    p.add_argument(
        "--no-overhead", action="store_true", help="skip the empty-pipeline driver overhead pass"
    )
    p.add_argument(
        "--profile",
        action="store_true",
        help="after the timed passes, profile each build in a separate pass with py-spy: "
        "flame graphs, speedscope files and a where-the-time-goes table (docs/profiling.md)",
    )
    p.add_argument(
        "--profile-seconds",
        type=float,
        default=5.0,
        help="minimum sampling time per build for --profile (default %(default)s)",
    )
    p.add_argument(
        "--profile-rate",
        type=int,
        default=250,
        help="py-spy samples per second for --profile (default %(default)s)",
    )
    p.add_argument(
        "--jitter-seconds",
        type=float,
        default=1.0,
        help="probe the machine's noise floor for this long in each worker before its "
        "passes; 0 skips it (default %(default)s)",
    )
    p.add_argument(
        "--drop-copy",
        metavar="URL",
        default=None,
        help="also run every build publishing its reports and positions to Redis Streams "
        "(redis://host:port[/db], or 'lab' for a server the run starts itself): one row "
        "with the drop-copy off and one (<build>@drop-copy) with it on, and a check that "
        "Redis got every report exactly once (docs/dropcopy.md)",
    )
    p.add_argument(
        "--drop-copy-restart",
        metavar="F",
        type=float,
        default=None,
        help="with --drop-copy lab: restart the server when each drop-copy row's timed pass "
        "is F done (0 < F < 1), to test the gap policy",
    )
    p.add_argument(
        "--snapshot-every",
        type=int,
        default=10_000,
        help="with --drop-copy: a position snapshot every N reports (default %(default)s)",
    )
    add_results_dir(p, "run folders")
    add_wire_options(p)
    p.set_defaults(handler=cmd_bench)


def cmd_bench(args: argparse.Namespace) -> int:
    check_output_dir(results_root(args.results_dir), "--results-dir")
    try:
        Pace.parse(args.pace, args.speed)
    except PaceError as exc:
        console_err.print(f"[bold red]error:[/] {exc}")
        return EXIT_USAGE
    if args.mode == "wire":
        return cmd_wire_bench(args)
    options = RunOptions(
        builds=tuple(
            b.strip() for b in (args.builds or ",".join(DEFAULT_BUILDS)).split(",") if b.strip()
        ),
        pace=args.pace,
        speed=args.speed,
        warmup=args.warmup,
        throughput=not args.no_throughput,
        overhead=not args.no_overhead,
        scale=args.scale,
        seed=args.seed,
        profile=ProfileSettings(seconds=args.profile_seconds, rate_hz=args.profile_rate)
        if args.profile
        else None,
        jitter_seconds=args.jitter_seconds,
        drop_copy=args.drop_copy,
        drop_copy_restart=args.drop_copy_restart,
        snapshot_every=args.snapshot_every,
    )
    try:
        check_options(options)
    except ValueError as exc:
        console_err.print(f"[bold red]error:[/] {exc}")
        return EXIT_USAGE
    scenario = open_scenario(args.scenario, seed=args.seed, scale=args.scale)
    try:  # before any work: a schedule that cannot be kept measures nothing
        Pace.parse(args.pace, args.speed).check_schedule(scenario.records["ts"])
    except PaceError as exc:
        console_err.print(f"[bold red]error:[/] {exc}", highlight=False)
        return EXIT_USAGE
    with ProgressDisplay(console_err) as display:

        def progress(build: str, phase: str, done: int, total: int) -> None:
            display.update(f"{build:<12} {phase:<10}", done, total)

        folder = run_bench(scenario, options, results_root(args.results_dir), progress=progress)
    run = load_run(folder)
    render_run(run, console)
    console.print(f"run folder: {folder}", highlight=False)
    console.print(f"report: {folder / 'report.md'}", highlight=False)
    return EXIT_OK if run.agree and drop_copy_complete(run) else EXIT_CHECK_FAILED
