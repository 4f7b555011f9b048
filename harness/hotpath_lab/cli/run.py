"""``hotpath run``: replay a scenario through one build, print what it decided."""

from __future__ import annotations

import argparse
from typing import Any

from rich.table import Table

from hotpath_format import write_reports
from hotpath_lab.cli.common import (
    EXIT_OK,
    add_scenario_options,
    console,
    open_scenario,
    progress_bar,
)
from hotpath_lab.cli.outputs import check_output_file
from hotpath_lab.drivers.builds import BUILTIN
from hotpath_lab.drivers.plugin import load_build
from hotpath_lab.outcomes import count_outcomes
from hotpath_lab.replay import replay


def register(sub: Any) -> None:
    p = sub.add_parser(
        "run",
        help="replay a scenario through one build as fast as possible",
        description="Replay a scenario through one build (no pacing, no timing) and print the "
        "report counts by kind and reject reason, and the SHA-256 digest of the report "
        "stream. Equal digests mean equal behaviour.",
    )
    add_scenario_options(p)
    p.add_argument(
        "--build",
        required=True,
        help=f"one of {', '.join(sorted(BUILTIN))}, or a plug-in module:attribute",
    )
    p.add_argument("--digest", action="store_true", help="print only the digest")
    p.add_argument(
        "--reports",
        metavar="PATH",
        default=None,
        help="also write the report stream to this file (atomically)",
    )
    p.set_defaults(handler=cmd_run)


def cmd_run(args: argparse.Namespace) -> int:
    if args.reports:
        check_output_file(args.reports, "--reports")
    build = load_build(args.build, BUILTIN)
    scenario = open_scenario(
        args.scenario, seed=args.seed, scale=args.scale, show_progress=not args.digest
    )
    with progress_bar(f"replaying through {args.build}", enabled=not args.digest) as progress:
        result = replay(build, scenario, progress=progress)
    if args.reports:
        write_reports(
            args.reports,
            result.reports,
            {"schema": 1, "build": result.build, "scenario_sha256": ""},
        )
    if args.digest:
        print(result.digest)
        return EXIT_OK
    outcomes = count_outcomes(result.reports)
    console.print(
        f"{result.build}: {result.events:,} events in {result.seconds:.2f} s "
        f"({result.events / max(result.seconds, 1e-9):,.0f} events/s), "
        f"{outcomes.reports:,} reports",
        highlight=False,
    )
    t = Table(show_edge=False, title="reports by kind", title_justify="left")
    t.add_column("kind")
    t.add_column("count", justify="right")
    for k, v in outcomes.by_kind.items():
        t.add_row(k, f"{v:,}")
    console.print(t)
    r = Table(show_edge=False, title="rejects by reason", title_justify="left")
    r.add_column("stage/reason")
    r.add_column("count", justify="right")
    for k, v in outcomes.rejects_by_reason.items():
        r.add_row(k, f"{v:,}" if v else "[dim]0[/]")
    console.print(r)
    cancels = ", ".join(f"{k} {v:,}" for k, v in outcomes.cancels_by_reason.items())
    console.print(f"cancels: {cancels}", highlight=False)
    fills = ", ".join(f"{k} {v:,}" for k, v in outcomes.fills_by_liquidity.items())
    console.print(
        f"fills: {fills}; halted accounts: {outcomes.halted_accounts or 'none'}", highlight=False
    )
    console.print(f"digest {result.digest}", highlight=False)
    return EXIT_OK
