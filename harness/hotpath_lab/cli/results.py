"""``hotpath results list|show|compare``."""

from __future__ import annotations

import argparse
from typing import Any

from rich.table import Table

from hotpath_lab.cli.common import EXIT_OK, InputError, console, console_err
from hotpath_lab.storage import ResultsError, iter_runs, load_run, results_root
from hotpath_lab.tables import METRICS, render_run, us


def register(sub: Any) -> None:
    p = sub.add_parser(
        "results",
        help="list, show and compare runs",
        description="Browse run folders under results/.",
    )
    p.add_argument("--results-dir", default=None, help="default: results/ or $HOTPATH_RESULTS")
    rsub = p.add_subparsers(dest="results_command", required=True, metavar="ACTION")
    ls = rsub.add_parser("list", help="every run, oldest first")
    ls.add_argument("--scenario", default=None, help="only runs of this scenario")
    ls.set_defaults(handler=cmd_list)
    show = rsub.add_parser("show", help="the tables of one run")
    show.add_argument("run", help="run folder or run id (a unique prefix is enough)")
    show.set_defaults(handler=cmd_show)
    cmp = rsub.add_parser("compare", help="latency of two runs side by side, per build and stage")
    cmp.add_argument("run_a", help="baseline run (folder or id)")
    cmp.add_argument("run_b", help="candidate run (folder or id)")
    cmp.set_defaults(handler=cmd_compare)


def _load(ref: str, args: argparse.Namespace) -> dict[str, Any]:
    try:
        return load_run(ref, results_root(args.results_dir))
    except ResultsError as exc:
        raise InputError(str(exc)) from exc


def cmd_list(args: argparse.Namespace) -> int:
    root = results_root(args.results_dir)
    t = Table(show_edge=False)
    for col in ("scenario", "run id", "builds", "agree", "e2e p99 µs by build"):
        t.add_column(col)
    n = 0
    for info in iter_runs(root, args.scenario):
        run = load_run(info.path)
        p99 = ", ".join(
            f"{b} {us(r['latency_ns'].get('e2e', {}).get('p99'))}" for b, r in run["builds"].items()
        )
        t.add_row(info.scenario, info.run_id, ",".join(info.builds), str(info.agree), p99)
        n += 1
    if n == 0:
        console_err.print(f"no runs under {root}")
        return EXIT_OK
    console.print(t)
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    run = _load(args.run, args)
    render_run(run, console)
    console.print(f"run folder: {run['_path']}", highlight=False)
    return EXIT_OK


def cmd_compare(args: argparse.Namespace) -> int:
    a, b = _load(args.run_a, args), _load(args.run_b, args)
    from hotpath_lab.reporting.compare import comparable  # pandas: only when comparing

    for reason in comparable(b, a):
        console_err.print(f"[yellow]not like for like:[/] {reason}", highlight=False)
    t = Table(
        title=f"{a['run_id']} (A) vs {b['run_id']} (B), µs", title_justify="left", show_edge=False
    )
    for col in (
        "build",
        "metric",
        "p50 A",
        "p50 B",
        "Δ p50",
        "p99 A",
        "p99 B",
        "Δ p99",
        "p99.9 A",
        "p99.9 B",
    ):
        t.add_column(col, justify="left" if col in ("build", "metric") else "right")
    for build in a["builds"]:
        if build not in b["builds"]:
            continue
        for m in METRICS:
            sa = a["builds"][build]["latency_ns"].get(m, {})
            sb = b["builds"][build]["latency_ns"].get(m, {})
            if not sa.get("count") or not sb.get("count"):
                continue
            t.add_row(
                build,
                m,
                us(sa["p50"]),
                us(sb["p50"]),
                _delta(sa["p50"], sb["p50"]),
                us(sa["p99"]),
                us(sb["p99"]),
                _delta(sa["p99"], sb["p99"]),
                us(sa["p999"]),
                us(sb["p999"]),
            )
    console.print(t)
    for build in a["builds"]:
        if build in b["builds"] and a["builds"][build]["digest"] != b["builds"][build]["digest"]:
            console.print(f"[yellow]{build}: output digest changed between the runs[/]")
    return EXIT_OK


def _delta(x: float, y: float) -> str:
    if not x:
        return "-"
    d = (y - x) / x * 100
    color = "red" if d > 5 else "green" if d < -5 else "white"
    return f"[{color}]{d:+.1f}%[/]"
