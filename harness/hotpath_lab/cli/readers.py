"""``hotpath readers``: engine latency with 0, 1, 2 … readers polling its top of book,
lock-free (epoch) vs mutex board, plus reader latency, staleness and snapshot memory."""

from __future__ import annotations

import argparse
import os
import time
from typing import Any

from rich.table import Table

from hotpath_lab.cli.common import (
    EXIT_CHECK_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    add_results_dir,
    add_scenario_options,
    console,
    console_err,
    open_scenario,
)
from hotpath_lab.gil.experiment import available_cores
from hotpath_lab.pacing import Pace, PaceError
from hotpath_lab.readers.experiment import board_names, run_experiment
from hotpath_lab.readers.results import (
    TABLE_COLUMNS,
    ReadersRun,
    ReadersSettings,
    load_readers_run,
    oversubscribed_note,
    table_cells,
    write_readers_run,
)
from hotpath_lab.storage import results_root


def reader_counts(text: str) -> tuple[int, ...]:
    """argparse type: comma-separated reader counts ≥ 0, sorted, without repeats."""
    try:
        counts = {int(c) for c in text.split(",") if c.strip()}
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a list of integers") from None
    if not counts or min(counts) < 0:
        raise argparse.ArgumentTypeError(f"name reader counts ≥ 0, got {text!r}")
    return tuple(sorted(counts))


def board_list(text: str) -> tuple[str, ...]:
    """argparse type: comma-separated boards, each one the toolkit offers, in its order."""
    known = board_names()
    asked = {b.strip() for b in text.split(",") if b.strip()}
    unknown = sorted(asked - set(known))
    if unknown or not asked:
        raise argparse.ArgumentTypeError(
            f"unknown board(s) {', '.join(unknown) or '(none named)'}: "
            f"choose from {', '.join(known)}"
        )
    return tuple(b for b in known if b in asked)


def register(sub: Any) -> None:
    p = sub.add_parser(
        "readers",
        help="book readers: engine P99 with 0/1/2 readers polling its top of book, "
        "lock-free vs mutex",
        description="Replay the scenario through the Rust engine on one thread, publishing "
        "its top of book after each event that changed it, while reader threads poll every "
        "instrument's top of book in a loop. One pass without a board (the baseline), then "
        "each board (epoch: lock-free with epoch-based reclamation; mutex) with each reader "
        "count. Measures the engine's per-event latency, each reader's read latency, reads/s, "
        "staleness, and the board's snapshot memory. Writes "
        "results/<scenario>/readers-<utc>-<sha>/ with readers.json and readers.md. Exit 1 if "
        "a pass changed the engine's report digest or a reader saw a seq go back "
        "(docs/readers.md).",
    )
    add_scenario_options(p)
    p.add_argument(
        "--readers",
        type=reader_counts,
        default=(0, 1, 2),
        help="reader thread counts per board, comma-separated (default 0,1,2)",
    )
    p.add_argument(
        "--boards",
        type=board_list,
        default=None,
        help="comma-separated subset of epoch, mutex (default: both)",
    )
    p.add_argument(
        "--pace",
        default="max",
        help="the engine's pacing: max (closed loop, the most contention; default), "
        "recorded (the scenario's timestamps / --speed) or rate:N",
    )
    p.add_argument("--speed", type=float, default=1.0, help="time compression for --pace recorded")
    add_results_dir(p, "readers run folders")
    p.set_defaults(handler=cmd_readers)


def cmd_readers(args: argparse.Namespace) -> int:
    try:
        Pace.parse(args.pace, args.speed)
    except PaceError as exc:
        console_err.print(f"[bold red]error:[/] {exc}", highlight=False)
        return EXIT_USAGE
    boards = args.boards or board_names()
    scenario = open_scenario(args.scenario, seed=args.seed, scale=args.scale)
    started_at = time.time()
    load_average = os.getloadavg()

    def progress(board: str, readers: int) -> None:
        console_err.print(f"{board:<6} readers={readers} …", highlight=False)

    experiment = run_experiment(
        scenario, boards=boards, readers=args.readers, pace=args.pace, speed=args.speed,
        progress=progress,
    )  # fmt: skip
    settings = ReadersSettings(
        boards=boards,
        readers=args.readers,
        pace=args.pace,
        speed=args.speed,
        cores=available_cores(),
        scale=args.scale,
        seed=args.seed,
        load_average=load_average,
    )
    folder = write_readers_run(
        scenario, experiment, results_root(args.results_dir), settings=settings,
        started_at=started_at,
    )  # fmt: skip
    run = load_readers_run(folder)
    render_readers(run)
    console.print(f"readers folder: {folder}", highlight=False)
    if not run.agree:
        bad = [f"{p.board}/{p.readers}" for p in run.points if not p.digest_agrees]
        console_err.print(f"[bold red]digests differ:[/] {', '.join(bad)}", highlight=False)
        return EXIT_CHECK_FAILED
    if not run.protocol_held:
        console_err.print("[bold red]a reader saw an instrument's seq go back[/]", highlight=False)
        return EXIT_CHECK_FAILED
    console.print(
        f"[green]digests agree:[/] {len(run.points)} passes; no reader saw a seq go back",
        highlight=False,
    )
    return EXIT_OK


def render_readers(run: ReadersRun) -> None:
    table = Table(
        title=f"{run.scenario.name}: {run.settings.cores} cores available; pace "
        f"{run.settings.pace}; engine = per-event service time, reader latency = worst reader",
        title_justify="left",
        show_edge=False,
    )
    for i, col in enumerate(TABLE_COLUMNS):
        table.add_column(col, justify="left" if i == 0 else "right")
    for p in run.points:
        table.add_row(*table_cells(p))
    console.print(table)
    note = oversubscribed_note(run)
    if note:
        console.print(note, highlight=False)
    load = run.settings.load_average[0]
    if load > 0.5:
        console.print(
            f"load average {load:.2f} when the run started: other work shared the cores",
            highlight=False,
        )
