"""``hotpath gate``: does this tree make the hot path slower? (docs/gate.md)"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from hotpath_lab.cli.common import EXIT_USAGE, console, console_err
from hotpath_lab.cli.progress import ProgressDisplay
from hotpath_lab.drivers.builds import DEFAULT_BUILDS
from hotpath_lab.environment import git_state
from hotpath_lab.gate.outcome import EXIT_CODES, TierResult, combine
from hotpath_lab.gate.render import print_result, write_files
from hotpath_lab.storage import results_root

CANARIES = ("uniform", "tail")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "gate",
        help="regression gate: is this tree slower than its baseline?",
        description="Judge the working tree against a baseline in two tiers: 'det' counts "
        "instructions and heap allocations per order request and per market-data event under "
        "valgrind's callgrind and compares them with results/baselines/; 'wall' runs baseline "
        "and candidate processes interleaved on this machine and judges P50/P99/P99.9 per "
        "stage by bootstrap intervals and the machine's noise floor. Prints a table per tier "
        "and writes gate.md, gate.json and, on a regression, what moved (docs/gate.md).",
        epilog="exit codes: 0 pass; 1 regression; 2 usage; 5 could not measure (never a "
        "silent pass: e.g. valgrind missing, or the machine too noisy to judge)",
    )
    p.add_argument(
        "--tier",
        choices=("det", "wall", "both"),
        default="both",
        help="det: instruction and allocation counts (about a minute); wall: interleaved "
        "latency runs (minutes, more with a cold baseline); both (default)",
    )
    p.add_argument(
        "--against",
        default=None,
        metavar="REF",
        help="wall tier: the git ref to compare with (default: the merge-base with main)",
    )
    p.add_argument(
        "--scenario",
        default=None,
        metavar="NAME",
        help="scenario manifest to judge on (default: each tier's own, docs/gate.md)",
    )
    p.add_argument(
        "--builds",
        default=",".join(DEFAULT_BUILDS),
        help="comma-separated builds (default %(default)s)",
    )
    p.add_argument(
        "--pairs",
        type=int,
        default=None,
        help="wall tier: baseline/candidate process pairs to start with (default 6); while a "
        "row cannot be judged and none regressed, two more run at a time, up to 12",
    )
    p.add_argument(
        "--canary",
        choices=CANARIES,
        default=None,
        help="slow the candidate down on purpose (HOTPATH_CANARY for the candidate only), to "
        "see the gate fail: uniform = +10%% of the risk stage, tail = a stall on 0.2%% of "
        "order requests",
    )
    p.add_argument(
        "--update-baseline",
        action="store_true",
        help="det tier: measure this tree and rewrite results/baselines/ (needs --reason)",
    )
    p.add_argument("--reason", default=None, help="why the baseline changes (kept in the file)")
    p.add_argument(
        "--out",
        default=None,
        metavar="DIR",
        help="where gate.md, gate.json and attachments go (default results/gate/<time>-<sha>)",
    )
    p.set_defaults(handler=cmd_gate)


def cmd_gate(args: argparse.Namespace) -> int:
    builds = tuple(b.strip() for b in args.builds.split(",") if b.strip())
    if not builds:
        console_err.print("[bold red]error:[/] --builds: name at least one build")
        return EXIT_USAGE
    if args.update_baseline and not (args.reason and args.reason.strip()):
        console_err.print('[bold red]error:[/] --update-baseline needs --reason "why"')
        return EXIT_USAGE
    if args.update_baseline and args.canary:
        console_err.print("[bold red]error:[/] a baseline is never made with a canary on")
        return EXIT_USAGE
    if args.pairs is not None and args.pairs < 1:
        console_err.print(f"[bold red]error:[/] --pairs must be >= 1, got {args.pairs}")
        return EXIT_USAGE
    from hotpath_lab.gate import det, wall

    if args.update_baseline:
        with ProgressDisplay(console_err) as display:
            path = det.update_det_baseline(
                args.scenario, builds, reason=args.reason.strip(), progress=display.update
            )
        console.print(f"baseline rewritten: {path} (reason: {args.reason.strip()})")
        return 0
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    out = (
        Path(args.out)
        if args.out
        else results_root(None) / "gate" / f"{stamp}-{git_state()['short']}"
    )
    results: list[TierResult] = []
    with ProgressDisplay(console_err) as display:
        if args.tier in ("det", "both"):
            results.append(
                det.run_det_tier(
                    args.scenario, builds, out, canary=args.canary, progress=display.update
                )
            )
        if args.tier in ("wall", "both"):
            try:
                results.append(
                    wall.run_wall_tier(
                        args.against,
                        args.scenario,
                        builds,
                        out,
                        pairs=args.pairs,
                        canary=args.canary,
                        progress=display.update,
                    )
                )
            except (wall.GateEnvironmentError, wall.WallRunError) as exc:
                # a side that cannot be set up or run is "could not measure", never a pass
                results.append(TierResult("wall", (), unmeasured_reason=str(exc)))
    header = [
        f"- candidate: this tree, git `{git_state()['sha']}`"
        + (" (uncommitted changes)" if git_state()["dirty"] else ""),
        f"- builds: {', '.join(builds)}" + (f"; canary `{args.canary}` on" if args.canary else ""),
    ]
    print_result(console, results)
    report = write_files(out, results, header)
    console.print(f"gate report: {report}", highlight=False)
    return EXIT_CODES[combine(results)]
