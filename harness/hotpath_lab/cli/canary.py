"""``hotpath canary``: shift accounts from the old gateway build to the new one step by step,
with guards that stop the shift (docs/canary.md)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from rich.table import Table

from hotpath_lab.cli.common import (
    EXIT_CHECK_FAILED,
    EXIT_OK,
    add_results_dir,
    add_scenario_options,
    console,
    console_err,
    open_scenario,
    positive_float,
)
from hotpath_lab.cli.outputs import check_output_dir
from hotpath_lab.drivers.plugin import BuildSpecError
from hotpath_lab.storage import decode, results_root
from hotpath_lab.wire.bench import check_wire_targets
from hotpath_lab.wire.canary import CANARY_JSON, DEFAULT_STEPS, CanaryPlan, run_canary
from hotpath_lab.wire.canary_model import Canary
from hotpath_lab.wire.canary_report import COLUMNS, outcome, step_row
from hotpath_lab.wire.fanout import DEFAULT_MAX_BATCH, DEFAULT_WINDOW
from hotpath_lab.wire.targets import POLLS, GatewayShape
from hotpath_lab.wire.tee import PARK


def share_list(text: str) -> tuple[float, ...]:
    """argparse type: comma-separated percentages (``1,10,50,100``)."""
    try:
        return tuple(float(p.strip().removesuffix("%")) for p in text.split(",") if p.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a list of percentages") from None


def register(sub: Any) -> None:
    p = sub.add_parser(
        "canary",
        help="shift a growing share of accounts to the new gateway build, with guards",
        description="Route each account's order requests to the old or the new gateway build "
        "(all market data to both), stepping the new build's share of accounts (--steps); "
        "each step is one session over the scenario. The new build's reports are checked "
        "against a shadow old build given the same input, and its order P99 against the "
        "guards; a breach stops the shift at that step (exit 1). Writes "
        "results/<scenario>/canary-<utc>-<sha>/ (canary.json, canary.md, the step chart). "
        "Latencies are measured through this Python router (docs/canary.md).",
    )
    add_scenario_options(p)
    p.add_argument("--old", default="wire-python", help="the serving build (default: %(default)s)")
    p.add_argument("--new", default="wire-rust", help="the build shifted to (default: %(default)s)")
    p.add_argument(
        "--steps",
        type=share_list,
        default=DEFAULT_STEPS,
        help="rising shares of accounts in percent, rounded up to whole accounts "
        "(default: " + ",".join(f"{s:g}" for s in DEFAULT_STEPS) + ")",
    )
    p.add_argument("--events", type=int, default=None, help="only the first N events per step")
    p.add_argument(
        "--guard-p99-us",
        type=positive_float,
        default=None,
        help="stop when the new build's order P99 (through the router) is above this, in µs",
    )
    p.add_argument(
        "--guard-p99-factor",
        type=positive_float,
        default=None,
        help="stop when the new build's order P99 is above this × the shadow's (the old "
        "build on the same input)",
    )
    p.add_argument(
        "--perturb-event",
        type=int,
        default=None,
        metavar="N",
        help="testing aid: alter event N in the new build's copy, to trip the mismatch guard",
    )
    p.add_argument("--window", type=int, default=DEFAULT_WINDOW,
                   help="most frames unanswered per gateway (default: %(default)s)")  # fmt: skip
    p.add_argument("--max-batch", type=int, default=DEFAULT_MAX_BATCH,
                   help="events per EVENTS frame (default: %(default)s)")  # fmt: skip
    p.add_argument(
        "--poll",
        choices=POLLS,
        default=PARK.poll,
        help="wire-rust: busy-poll or sleep in epoll (default: %(default)s: three gateways "
        "and the router share the cores)",
    )
    add_results_dir(p, "canary folders")
    p.set_defaults(handler=cmd_canary)


def cmd_canary(args: argparse.Namespace) -> int:
    check_output_dir(results_root(args.results_dir), "--results-dir")
    plan = CanaryPlan(
        old=args.old,
        new=args.new,
        steps_pct=args.steps,
        events=args.events,
        guard_p99_us=args.guard_p99_us,
        guard_p99_factor=args.guard_p99_factor,
        perturb_event=args.perturb_event,
        window=args.window,
        max_batch=args.max_batch,
        shape=GatewayShape(poll=args.poll),
        scale=args.scale,
        seed=args.seed,
    )
    try:
        plan.check()
    except ValueError as exc:
        raise BuildSpecError(str(exc)) from None
    check_wire_targets([plan.old, plan.new])
    scenario = open_scenario(args.scenario, seed=args.seed, scale=args.scale)

    def progress(share: float) -> None:
        console_err.print(f"step {share:g}%: {plan.old} → {plan.new}", highlight=False)

    n = min(len(scenario.records), args.events or len(scenario.records))
    if args.perturb_event is not None and not 0 <= args.perturb_event < n:
        raise BuildSpecError(f"--perturb-event {args.perturb_event}: events are 0..{n - 1}")
    folder = run_canary(scenario, plan, results_root(args.results_dir), progress=progress)
    path = folder / CANARY_JSON
    canary = decode(Canary, json.loads(path.read_text()), str(path))
    table = Table(title=f"canary {plan.old} → {plan.new}", title_justify="left", show_edge=False)
    for col in COLUMNS:
        table.add_column(col, justify="left" if col in ("share", "verdict") else "right")
    for step in canary.steps:
        table.add_row(*step_row(step))
    console.print(table)
    for step in canary.steps:
        if step.first_mismatch:
            console.print(f"first mismatch at {step.share_pct:g}%: {step.first_mismatch}",
                          highlight=False)  # fmt: skip
    console.print(f"latency: {canary.measured}", highlight=False)
    console.print(outcome(canary), highlight=False)
    console.print(f"canary folder: {folder}", highlight=False)
    return EXIT_OK if canary.completed else EXIT_CHECK_FAILED
