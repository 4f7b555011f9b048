"""``hotpath results list|show|compare|report|schema``.

Exit codes: 0 done (a comparison too, whatever it found: the regression gate is its own
command); 1 ``schema --check`` found the committed schema out of date; 2 bad usage; 3 a run
that cannot be read (no such run, a damaged or unknown ``run.json`` or interval log).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rich.table import Table

from hotpath_lab import units
from hotpath_lab.cli.common import (
    EXIT_CHECK_FAILED,
    EXIT_OK,
    InputError,
    console,
    console_err,
)
from hotpath_lab.storage import (
    METRICS,
    ResultsError,
    Run,
    iter_runs,
    load_run,
    resolve_run,
    results_root,
)


def metric_list(text: str) -> list[str]:
    """argparse type: comma-separated metrics of the run model."""
    metrics = [m.strip() for m in text.split(",") if m.strip()]
    unknown = [m for m in metrics if m not in METRICS]
    if unknown or not metrics:
        named = ", ".join(unknown) if unknown else repr(text)
        raise argparse.ArgumentTypeError(
            f"unknown metric(s) {named}: choose from {', '.join(METRICS)}"
        )
    return metrics


def replicate_count(text: str) -> int:
    """argparse type: a bootstrap replicate count (at least 50: fewer make no interval)."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if n < 50:
        raise argparse.ArgumentTypeError(f"must be at least 50, got {n}")
    return n


def register(sub: Any) -> None:
    p = sub.add_parser(
        "results",
        help="list, show, compare and report runs",
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
    cmp = rsub.add_parser(
        "compare",
        help="what changed from run A to run B, with bootstrap intervals and verdicts",
        description="Per build, metric and percentile: A and B with their 95%% bootstrap "
        "intervals (from the interval logs), the change with its interval, and a verdict "
        "(higher / lower only when the change's interval excludes zero); then the other "
        "headline figures, and why the runs are not like for like if they are not. The "
        "same engine as report.md's 'Changes since the previous run'. Exits 0 whatever it "
        "finds.",
    )
    cmp.add_argument("run_a", help="baseline run (folder or id)")
    cmp.add_argument("run_b", help="candidate run (folder or id)")
    cmp.add_argument(
        "--metrics",
        type=metric_list,
        default=["e2e", "service"],
        help=f"comma-separated, of {', '.join(METRICS)} (default e2e,service)",
    )
    cmp.add_argument(
        "--replicates",
        type=replicate_count,
        default=400,
        help="bootstrap replicates per run (default 400)",
    )
    cmp.set_defaults(handler=cmd_compare)
    rep = rsub.add_parser(
        "report",
        help="render report.md and its plots for an existing run",
        description="Run folders are never modified, so the report of an existing run goes "
        "to --out (default ./report-<run id>); its links reach the run folder's files.",
    )
    rep.add_argument("run", help="run folder or run id")
    rep.add_argument("--out", default=None, help="output folder (default ./report-<run id>)")
    rep.set_defaults(handler=cmd_report)
    sch = rsub.add_parser(
        "schema",
        help="write the JSON Schema of run.json (docs/run.schema.json) from the model",
    )
    sch.add_argument("--out", default=None, help="where to write it (default: the docs file)")
    sch.add_argument(
        "--check", action="store_true", help="only check that the file is up to date (exit 1)"
    )
    sch.set_defaults(handler=cmd_schema)


def _root(args: argparse.Namespace) -> Path | None:
    return Path(args.results_dir) if args.results_dir else None


def _load(ref: str, args: argparse.Namespace) -> tuple[Path, Run]:
    try:
        folder = resolve_run(ref, results_root(args.results_dir))
        return folder, load_run(folder)
    except ResultsError as exc:
        raise InputError(str(exc)) from exc


def cmd_list(args: argparse.Namespace) -> int:
    root = results_root(args.results_dir)
    t = Table(show_edge=False)
    for col in ("scenario", "run id", "mode", "builds", "agree", "e2e p99 by build"):
        t.add_column(col)
    unreadable: list[ResultsError] = []
    n = 0
    for info in iter_runs(root, args.scenario, unreadable=unreadable):
        p99 = ", ".join(
            f"{b} {units.latency(r.latency_ns.e2e.p99)}" for b, r in info.run.builds.items()
        )
        t.add_row(
            info.scenario, info.run_id, info.run.mode, ",".join(info.builds), str(info.agree), p99
        )
        n += 1
    for exc in unreadable:
        console_err.print(f"[yellow]skipped:[/] {exc}", highlight=False)
    if n == 0:
        console_err.print(f"no runs under {root}")
        return EXIT_OK
    console.print(t)
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from hotpath_lab.tables import render_run

    folder, run = _load(args.run, args)
    render_run(run, console)
    console.print(f"run folder: {folder}", highlight=False)
    return EXIT_OK


VERDICT_STYLE = {"higher": "bold red", "lower": "bold green"}


def cmd_compare(args: argparse.Namespace) -> int:
    # pandas and the bootstrap: imported only when comparing
    from hotpath_lab.reporting.compare import comparable, compare_models, verdict_cells, verdicts
    from hotpath_lab.reporting.hlog import IntervalLogError

    (fa, a), (fb, b) = _load(args.run_a, args), _load(args.run_b, args)
    for reason in comparable(b, a):
        console_err.print(f"[yellow]not like for like:[/] {reason}", highlight=False)
    try:
        found = verdicts(fb, fa, metrics=args.metrics, replicates=args.replicates)
    except IntervalLogError as exc:
        raise InputError(str(exc)) from exc
    t = Table(
        title=f"{a.run_id} (A) → {b.run_id} (B): percentiles with 95% bootstrap intervals",
        title_justify="left",
        show_edge=False,
    )
    for col in ("build", "metric", "pct", "A", "B", "change B vs A", "verdict"):
        t.add_column(col, justify="left" if col in ("build", "metric", "verdict") else "right")
    for v in found:
        *cells, verdict = verdict_cells(v)
        style = VERDICT_STYLE.get(verdict, "dim")
        t.add_row(*cells, f"[{style}]{verdict}[/]")
    if found:
        console.print(t)
    else:
        console_err.print("no build and metric with an interval log in both runs")
    diff = compare_models(b, a)
    h = Table(
        title="headline figures (single values, no interval)",
        title_justify="left",
        show_edge=False,
    )
    for col in ("build", "figure", "A", "B", "change"):
        h.add_column(col, justify="left" if col in ("build", "figure") else "right")
    for _, r in diff.iterrows():
        h.add_row(
            r["build"],
            r["figure"],
            units.figure(r["previous"], r["unit"]),
            units.figure(r["current"], r["unit"]),
            units.signed_pct(r["change"]),
        )
    console.print(h)
    for build, now in b.builds.items():
        before = a.builds.get(build)
        if before is not None and before.digest != now.digest:
            console.print(f"[yellow]{build}: output digest changed between the runs[/]")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from hotpath_lab.reporting.hlog import IntervalLogError
    from hotpath_lab.reporting.report import write_report

    folder, run = _load(args.run, args)
    out = Path(args.out) if args.out else Path(f"report-{run.run_id}")
    out.mkdir(parents=True, exist_ok=True)
    try:
        path = write_report(folder, _root(args), out_dir=out)
    except (ResultsError, IntervalLogError) as exc:
        raise InputError(str(exc)) from exc
    console.print(str(path), highlight=False)
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from hotpath_lab.storage.schema import SCHEMA_FILE, run_schema_text, write_run_schema

    path = Path(args.out) if args.out else SCHEMA_FILE
    text = run_schema_text()
    if args.check:
        current = path.read_text() if path.is_file() else None
        if current != text:
            console_err.print(
                f"{path} is out of date with hotpath_lab.storage.run_model: "
                "run `hotpath results schema`"
            )
            return EXIT_CHECK_FAILED
        console.print(f"{path} is up to date", highlight=False)
        return EXIT_OK
    console.print(str(write_run_schema(path)), highlight=False)
    return EXIT_OK
