"""``hotpath sweep``: step the offered rate over the wire and find each target's knee."""

from __future__ import annotations

import argparse
import json
from typing import Any

from rich.table import Table

from hotpath_lab import units
from hotpath_lab.cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    add_results_dir,
    add_scenario_options,
    console,
    console_err,
    open_scenario,
)
from hotpath_lab.cli.outputs import check_output_dir
from hotpath_lab.cli.progress import ProgressDisplay
from hotpath_lab.cli.wire_common import add_wire_options, wire_settings
from hotpath_lab.storage import decode, results_root
from hotpath_lab.storage.sweep_model import SustainRule, Sweep
from hotpath_lab.tables import backlog_text
from hotpath_lab.wire.sweep import (
    DEFAULT_RATES,
    STEP_SECONDS,
    SWEEP_JSON,
    SWEEP_WARMUP,
    SweepPlan,
    run_sweep,
    short_steps,
)
from hotpath_lab.wire.targets import GATEWAYS, parse_targets

RULE = SustainRule()


def rate_list(text: str) -> tuple[float, ...]:
    """argparse type: comma-separated positive rates (events/s), ``k``/``M`` allowed."""
    rates = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        scale = {"k": 1e3, "m": 1e6}.get(part[-1].lower(), 1.0)
        number = part[:-1] if scale != 1.0 else part
        try:
            rate = float(number.replace("_", "")) * scale
        except ValueError:
            raise argparse.ArgumentTypeError(f"{part!r} is not a rate (events/s)") from None
        if not rate > 0:
            raise argparse.ArgumentTypeError(f"{part!r}: a rate must be positive")
        rates.append(rate)
    if not rates:
        raise argparse.ArgumentTypeError("name at least one rate")
    return tuple(sorted(set(rates)))


def register(sub: Any) -> None:
    p = sub.add_parser(
        "sweep",
        help="step the offered rate over the wire: latency against throughput, the knee",
        description="For each target, one generator run per rate (--pace rate:R, a fresh "
        "session each), lowest first, until it fails the sustained-rate rule twice in a row "
        "(docs/wire.md, 'hotpath sweep'). Writes results/<scenario>/sweep-<utc>-<sha>/ with "
        "sweep.json, knee.png/.svg and every step's generator files.",
    )
    add_scenario_options(p)
    p.add_argument(
        "--builds",
        default=",".join(GATEWAYS),
        help="comma-separated: wire-rust, wire-python, zmq-echo, tcp-echo (default: %(default)s)",
    )
    p.add_argument(
        "--rates",
        type=rate_list,
        default=DEFAULT_RATES,
        help="comma-separated offered rates in events/s, 10k and 1.5M allowed (default: "
        + ",".join(units.count(r) for r in DEFAULT_RATES)
        + ")",
    )
    p.add_argument(
        "--step-seconds",
        type=float,
        default=STEP_SECONDS,
        help="length of each timed session; capped by the scenario's size (default %(default)s)",
    )
    p.add_argument(
        "--warmup",
        type=int,
        default=SWEEP_WARMUP,
        help="events of each step's discarded warm-up session (default %(default)s)",
    )
    p.add_argument(
        "--p99-factor",
        type=float,
        default=RULE.p99_factor,
        help="a step whose e2e P99 exceeds this multiple of the lowest rate's is not "
        "sustained (default %(default)s)",
    )
    add_results_dir(p, "sweep folders")
    add_wire_options(p)
    p.set_defaults(handler=cmd_sweep)


def cmd_sweep(args: argparse.Namespace) -> int:
    check_output_dir(results_root(args.results_dir), "--results-dir")
    targets = parse_targets(args.builds, allow_floors=True)
    if not args.step_seconds > 0 or args.warmup < 0 or not args.p99_factor > 1:
        console_err.print(
            "[bold red]error:[/] --step-seconds must be positive, --warmup at least 0, "
            "--p99-factor above 1"
        )
        return EXIT_USAGE
    try:
        plan = SweepPlan(
            targets=tuple(targets),
            rates=args.rates,
            wire=wire_settings(args),
            step_seconds=args.step_seconds,
            warmup=args.warmup,
            rule=SustainRule(
                achieved_share=RULE.achieved_share,
                p99_factor=args.p99_factor,
                backlog_factor=RULE.backlog_factor,
                backlog_margin_ns=RULE.backlog_margin_ns,
            ),
            scale=args.scale,
            seed=args.seed,
        )
    except ValueError as exc:
        console_err.print(f"[bold red]error:[/] {exc}", highlight=False)
        return EXIT_USAGE
    from hotpath_lab.wire.bench import check_wire_targets

    check_wire_targets(targets)
    scenario = open_scenario(args.scenario, seed=args.seed, scale=args.scale)
    short = short_steps(plan, len(scenario.records))
    if short:
        n = len(scenario.records)
        console_err.print(
            f"[yellow]warning:[/] {scenario.path.name} holds {n:,} events: at "
            + ", ".join(f"{units.count(r)}/s ({n / r:.2g} s)" for r in short)
            + f" a step is shorter than --step-seconds {plan.step_seconds:g}; a larger "
            "scenario (--scale) gives those rates a full session",
            highlight=False,
        )
    with ProgressDisplay(console_err) as display:

        def progress(target: str, rate: float, done: int, total: int) -> None:
            display.update(f"{target:<12} {units.count(rate):>9}/s", done, total)

        folder = run_sweep(scenario, plan, results_root(args.results_dir), progress=progress)
    sweep = decode(Sweep, json.loads((folder / SWEEP_JSON).read_text()), str(folder / SWEEP_JSON))
    render_sweep(sweep, console)
    console.print(f"sweep folder: {folder}", highlight=False)
    console.print(f"knee plot: {folder / sweep.files.knee_png}", highlight=False)
    return EXIT_OK


def render_sweep(sweep: Sweep, out: Any) -> None:
    for name, t in sweep.targets.items():
        table = Table(
            title=f"{name}: {t.stopped}; low-load typical P99 {units.latency(t.baseline_p99_ns)}",
            title_justify="left",
            show_edge=False,
        )
        for col in ("offered/s", "achieved/s", "p50", "p99", "p99.9", "typical p99",
                    "backlog p50", "CPU %", "verdict"):  # fmt: skip
            table.add_column(col, justify="left" if col == "verdict" else "right")
        for s in t.steps:
            e2e = s.e2e
            verdict = (
                "[green]sustained[/]" if s.sustained else "[red]" + "; ".join(s.reasons) + "[/]"
            )
            table.add_row(
                units.count(s.offered_per_s),
                units.count(s.achieved_per_s),
                units.latency(e2e.p50 if e2e else None),
                units.latency(e2e.p99 if e2e else None),
                units.latency(e2e.p999 if e2e else None),
                units.latency(s.typical_p99_ns),
                backlog_text(s.trend),
                units.pct(s.gateway_cpu_share, 0),
                verdict,
            )
        out.print(table)
    summary = ", ".join(
        f"{name} {units.count(t.sustained_max_per_s)}/s" for name, t in sweep.targets.items()
    )
    out.print(f"highest rate sustained: {summary}", highlight=False)
