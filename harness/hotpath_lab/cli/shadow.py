"""``hotpath shadow``: prove the builds behave identically on a scenario."""

from __future__ import annotations

import argparse
from typing import Any

from hotpath_lab import units
from hotpath_lab.cli.common import (
    EXIT_CHECK_FAILED,
    EXIT_OK,
    add_scenario_options,
    console,
    console_err,
    open_scenario,
    progress_bar,
)
from hotpath_lab.drivers.builds import BUILTIN
from hotpath_lab.drivers.plugin import BuildSpecError, load_builds
from hotpath_lab.replay import replay
from hotpath_lab.shadow import context, describe_report, first_divergence
from hotpath_lab.wire.bench import check_wire_targets
from hotpath_lab.wire.fanout import DEFAULT_MAX_BATCH, DEFAULT_WINDOW
from hotpath_lab.wire.targets import POLLS, GatewayShape, parse_targets
from hotpath_lab.wire.tee import (
    DEFAULT_CANDIDATE,
    DEFAULT_REFERENCE,
    PARK,
    TeeSettings,
    check_settings,
    run_tee,
)

IN_PROCESS = "python,hybrid-risk,hybrid-risk-exec,rust-ffi,rust-native"


def register(sub: Any) -> None:
    p = sub.add_parser(
        "shadow",
        help="check that the builds produce identical report streams",
        description="Replay the same scenario through the reference build (python) and each "
        "other build, and compare their report streams record by record. Exit 0 when they "
        "are identical; otherwise exit 1 and show the first diverging report of each build "
        "with the input events around it. With --wire: the same through two live gateways "
        "(docs/canary.md), compared frame by frame as the reports arrive.",
    )
    add_scenario_options(p)
    p.add_argument(
        "--builds",
        default=None,
        help=f"builds to compare; the first is the reference (default: {IN_PROCESS}; with "
        "--wire: wire-python,wire-rust)",
    )
    add_tee_options(p)
    p.set_defaults(handler=cmd_shadow)


def cmd_shadow(args: argparse.Namespace) -> int:
    if args.wire:
        return cmd_shadow_wire(args)
    if args.perturb_event is not None or args.events is not None:
        raise BuildSpecError("--events and --perturb-event need --wire")
    specs = [b.strip() for b in (args.builds or IN_PROCESS).split(",") if b.strip()]
    builds = load_builds(specs, BUILTIN)
    peers = [b for b, build in builds.items() if not getattr(build, "shadow_equal", True)]
    if peers:
        raise BuildSpecError(
            f"{', '.join(peers)}: a peer, not shadow-equal (its reports are its own outcomes, "
            "docs/peers.md); `hotpath bench` measures it"
        )
    if len(builds) < 2:
        raise BuildSpecError(f"shadow needs two or more builds, got {specs}")
    scenario = open_scenario(args.scenario, seed=args.seed, scale=args.scale)
    results = []
    for b, build in builds.items():
        with progress_bar(f"replaying through {b}") as progress:
            results.append(replay(build, scenario, progress=progress))
        r = results[-1]
        console.print(
            f"{b:<17} {len(r.reports):>10,} reports  {r.digest}  ({r.seconds:.2f} s)",
            highlight=False,
        )
    reference = results[0]
    failed = False
    for other in results[1:]:
        d = first_divergence(reference.reports, other.reports)
        if d is None:
            continue
        failed = True
        ctx = context(d, scenario.records, reference.reports, other.reports)
        console.print(
            f"\n[bold red]{reference.build} and {other.build} diverge at report "
            f"{d.index + 1}[/] (caused by input event {d.event_index})"
        )
        console.print(f"  {reference.build:<12} {describe_report(d.a)}", highlight=False)
        console.print(f"  {other.build:<12} {describe_report(d.b)}", highlight=False)
        _print_context(d.event_index, ctx)
    if failed:
        return EXIT_CHECK_FAILED
    console.print(
        f"[green]identical:[/] {len(builds)} builds, {len(reference.reports):,} "
        f"reports, digest {reference.digest}"
    )
    return EXIT_OK


def add_tee_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("live shadow over the wire (--wire; docs/canary.md)")
    g.add_argument(
        "--wire",
        action="store_true",
        help="tee the scenario to two live gateways (--builds REFERENCE,CANDIDATE) and "
        "compare their REPORTS frame by frame; stop at the first divergence",
    )
    g.add_argument("--events", type=int, default=None, help="only the first N events")
    g.add_argument(
        "--perturb-event",
        type=int,
        default=None,
        metavar="N",
        help="testing aid: alter event N (one lot more; a CANCEL names another order) in "
        "the candidate's copy only, to see a divergence caught",
    )
    g.add_argument(
        "--window",
        type=int,
        default=DEFAULT_WINDOW,
        help="most frames unanswered per gateway (default: %(default)s)",
    )
    g.add_argument(
        "--max-batch",
        type=int,
        default=DEFAULT_MAX_BATCH,
        help="events per EVENTS frame (default: %(default)s)",
    )
    g.add_argument(
        "--poll",
        choices=POLLS,
        default=PARK.poll,
        help="wire-rust: busy-poll or sleep in epoll (default: %(default)s, so the gateways "
        "and the tee share the cores)",
    )


def cmd_shadow_wire(args: argparse.Namespace) -> int:
    specs = parse_targets(args.builds or f"{DEFAULT_REFERENCE},{DEFAULT_CANDIDATE}",
                          allow_floors=False)  # fmt: skip
    if len(specs) != 2:
        raise BuildSpecError(f"shadow --wire compares two gateways, got {specs}")
    settings = TeeSettings(
        reference=specs[0],
        candidate=specs[1],
        events=args.events,
        perturb_event=args.perturb_event,
        window=args.window,
        max_batch=args.max_batch,
        shape=GatewayShape(poll=args.poll),
    )
    try:
        check_settings(settings)
    except ValueError as exc:
        raise BuildSpecError(str(exc)) from None
    check_wire_targets(specs)
    scenario = open_scenario(args.scenario, seed=args.seed, scale=args.scale)
    n = min(len(scenario.records), args.events or len(scenario.records))
    if args.perturb_event is not None and not 0 <= args.perturb_event < n:
        raise BuildSpecError(f"--perturb-event {args.perturb_event}: events are 0..{n - 1}")
    ref, cand = specs
    console_err.print(f"teeing {n:,} events to {ref} and {cand}", highlight=False)
    out = run_tee(scenario, settings)
    if args.perturb_event is not None:
        console.print(
            f"testing aid: event {args.perturb_event} altered in {cand}'s copy", highlight=False
        )
    for name in specs:
        lat = out.latency[name]
        console.print(
            f"{name:<12} {out.reports[name]:>10,} reports received; per order through the tee: "
            f"P50 {units.latency(lat.p50)}  P99 {units.latency(lat.p99)}  "
            f"P99.9 {units.latency(lat.p999)}",
            highlight=False,
        )
    if out.divergence is not None:
        t = out.divergence
        d = t.divergence
        console.print(
            f"\n[bold red]{ref} and {cand} diverge at input event {d.event_index}[/] "
            f"(report {d.index + 1}, frame {t.frame}; {out.frames_compared - 1:,} frames "
            "agreed before it)"
        )
        console.print(f"  {ref:<12} {describe_report(d.a)}", highlight=False)
        console.print(f"  {cand:<12} {describe_report(d.b)}", highlight=False)
        _print_context(d.event_index, t.context)
        return EXIT_CHECK_FAILED
    if out.digest_problem is not None:
        console.print(f"[bold red]digests disagree:[/] {out.digest_problem}", highlight=False)
        return EXIT_CHECK_FAILED
    digest = out.finished[ref]["digest"]
    console.print(
        f"[green]identical over the wire:[/] {out.events:,} events in {out.frames:,} frames, "
        f"{out.reports[ref]:,} reports, FINISHED digest {digest} from both",
        highlight=False,
    )
    return EXIT_OK


def _print_context(event_index: int, ctx: dict[str, list[str]]) -> None:
    console.print("  reports just before (reference):", highlight=False)
    for line in ctx["before_a"]:
        console.print(f"    {line}", highlight=False)
    console.print("  input events around it:", highlight=False)
    for line in ctx["events"]:
        marker = ">>" if line.startswith(f"[{event_index}]") else "  "
        console.print(f"  {marker}{line}", highlight=False)
