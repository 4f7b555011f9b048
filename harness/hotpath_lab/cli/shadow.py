"""``hotpath shadow``: prove the builds behave identically on a scenario."""

from __future__ import annotations

import argparse
from typing import Any

from hotpath_lab.cli.common import (
    EXIT_CHECK_FAILED,
    EXIT_OK,
    add_scenario_options,
    console,
    open_scenario,
    progress_bar,
)
from hotpath_lab.drivers.builds import BUILTIN
from hotpath_lab.drivers.plugin import BuildSpecError, load_builds
from hotpath_lab.replay import replay
from hotpath_lab.shadow import context, describe_report, first_divergence


def register(sub: Any) -> None:
    p = sub.add_parser(
        "shadow",
        help="check that the builds produce identical report streams",
        description="Replay the same scenario through the reference build (python) and each "
        "other build, and compare their report streams record by record. Exit 0 when they "
        "are identical; otherwise exit 1 and show the first diverging report of each build "
        "with the input events around it.",
    )
    add_scenario_options(p)
    p.add_argument(
        "--builds",
        default="python,hybrid-risk,hybrid-risk-exec,rust-ffi,rust-native",
        help="builds to compare; the first is the reference (default: %(default)s)",
    )
    p.set_defaults(handler=cmd_shadow)


def cmd_shadow(args: argparse.Namespace) -> int:
    specs = [b.strip() for b in args.builds.split(",") if b.strip()]
    builds = load_builds(specs, BUILTIN)
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
        console.print("  reports just before (reference):", highlight=False)
        for line in ctx["before_a"]:
            console.print(f"    {line}", highlight=False)
        console.print("  input events around it:", highlight=False)
        for line in ctx["events"]:
            marker = ">>" if line.startswith(f"[{d.event_index}]") else "  "
            console.print(f"  {marker}{line}", highlight=False)
    if failed:
        return EXIT_CHECK_FAILED
    console.print(
        f"[green]identical:[/] {len(builds)} builds, {len(reference.reports):,} "
        f"reports, digest {reference.digest}"
    )
    return EXIT_OK
