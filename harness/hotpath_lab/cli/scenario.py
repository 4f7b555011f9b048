"""``hotpath scenario build|inspect|config|import``."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.table import Table

from hotpath_lab.cli.common import (
    EXIT_OK,
    InputError,
    add_scenario_options,
    console,
    console_err,
    open_scenario,
    progress_bar,
    seed_value,
)
from hotpath_lab.cli.outputs import check_output_file
from hotpath_lab.inspection import ScenarioSummary, sparkline, summarize

if TYPE_CHECKING:
    from hotpath_lab.scenarios.binance import FileStats


def register(sub: Any) -> None:
    p = sub.add_parser(
        "scenario",
        help="build, inspect, configure and import scenarios",
        description="Scenario files: generate them from manifests in scenarios/, inspect "
        "them, print a manifest's generator config, or import real Binance captures.",
    )
    ssub = p.add_subparsers(dest="scenario_command", required=True, metavar="ACTION")

    b = ssub.add_parser(
        "build",
        help="generate a scenario file from a manifest (cached)",
        description="Generate the event file for a manifest (scenarios/NAME.toml or a path "
        "to a .toml). The same manifest, seed and scale always give the same bytes; the "
        "result is cached outside git and reused.",
    )
    add_scenario_options(b, positional=True)
    b.add_argument(
        "--out", type=Path, help="also write the file here (atomically); default: cache only"
    )
    b.set_defaults(handler=cmd_build)

    i = ssub.add_parser(
        "inspect",
        help="counts, time span, venues and message rates of a scenario",
        description="Summarise a scenario: events by kind, time span, instruments, venues, "
        "the message rate per second (the burst shows as a peak) and the file digest. NAME "
        "is built first if it is not cached.",
    )
    add_scenario_options(i, positional=True)
    i.add_argument("--json", action="store_true", help="print the summary as JSON")
    i.set_defaults(handler=cmd_inspect)

    c = ssub.add_parser(
        "config",
        help="print a manifest's generator config JSON",
        description="Translate a manifest (scenarios/NAME.toml or a path to a .toml), have "
        "the generator check it, and print the config JSON the generator takes (integer "
        "units, ns; see docs/scenarios.md). The Rust benchmarks and examples read it.",
    )
    c.add_argument("manifest", metavar="NAME|PATH", help="manifest name or .toml path")
    c.set_defaults(handler=cmd_config)

    imp = ssub.add_parser(
        "import",
        help="convert recorded market data into a scenario",
        description="Import recorded market data. Binance: DIR holds spot/, usdm/ and cm/ "
        "WebSocket captures (gzip, '<recv ns> <json>' per line) with a REST snapshot line "
        "each; the diff-depth streams are synchronised by Binance's U/u/pu rules and the "
        "strategy model's order flow is laid over the real book (docs/binance-import.md). "
        "Per-file sync counters are printed and kept in the file's metadata. A book that "
        "never synchronises (a capture without its snapshot, say) is bad input (exit 3) "
        "unless --allow-unsynced.",
    )
    imp.add_argument("source", choices=["binance"], help="capture format")
    imp.add_argument("dir", type=Path, help="directory holding the captures")
    imp.add_argument("--out", type=Path, required=True, help="scenario file to write (.hpe)")
    imp.add_argument(
        "--seed", type=seed_value, default=1, help="seed of the strategy order flow (default 1)"
    )
    flow = imp.add_mutually_exclusive_group()
    flow.add_argument(
        "--manifest",
        default="binance",
        help="manifest whose [strategy] lays the order flow over the book (default: binance)",
    )
    flow.add_argument(
        "--market-only",
        action="store_true",
        help="write the market data only, without the strategy's order flow",
    )
    imp.add_argument(
        "--book-ticker",
        choices=["overlay", "check"],
        default="overlay",
        help="bookTicker: set the top of book between diffs (overlay, default) or only "
        "compare it with the book (check)",
    )
    imp.add_argument(
        "--skip-stream",
        action="append",
        default=[],
        metavar="TYPE",
        help="a stream type (e.g. aggTrade) to skip and count instead of refusing; repeatable",
    )
    imp.add_argument(
        "--allow-unsynced",
        action="store_true",
        help="import even if a book never synchronises (a warning names its files)",
    )
    imp.set_defaults(handler=cmd_import)


def cmd_build(args: argparse.Namespace) -> int:
    if args.out is not None:
        check_output_file(args.out, "--out")
    from hotpath_lab.atomic import atomic_output

    f = open_scenario(args.scenario, seed=args.seed, scale=args.scale)
    if args.out is not None:
        with atomic_output(args.out) as out, open(f.path, "rb") as src:
            while chunk := src.read(1 << 20):
                out.write(chunk)
    console.print(f"{len(f.records):,} events -> {args.out or f.path}", highlight=False)
    return EXIT_OK


def cmd_inspect(args: argparse.Namespace) -> int:
    f = open_scenario(args.scenario, seed=args.seed, scale=args.scale, show_progress=not args.json)
    summary = summarize(f)
    if args.json:
        print(json.dumps(summary.to_json(), indent=2))
    else:
        render_summary(summary)
    return EXIT_OK


def render_summary(s: ScenarioSummary) -> None:
    console.print(f"[bold]{s.name}[/]  {s.path}", highlight=False)
    console.print(f"digest    {s.digest}  ({s.size_bytes:,} bytes)", highlight=False)
    console.print(
        f"span      {s.duration_s:,.3f} s  (ts {s.first_ts} .. {s.last_ts})", highlight=False
    )
    console.print(
        "venues    " + ", ".join(f"{i}={v}" for i, v in enumerate(s.venues)), highlight=False
    )
    console.print(
        "instr.    "
        + ", ".join(
            f"{i['symbol']} (tick {i['tick_size']}, lot {i['lot_size']})" for i in s.instruments
        ),
        highlight=False,
    )
    console.print(f"accounts  {', '.join(s.accounts)}", highlight=False)
    if s.source:
        console.print(f"source    {json.dumps(s.source, sort_keys=True)[:200]}", highlight=False)
    t = Table(title="events by kind", show_edge=False)
    t.add_column("kind")
    t.add_column("count", justify="right")
    t.add_column("share", justify="right")
    for kind, n in s.counts_by_kind.items():
        t.add_row(kind, f"{n:,}", f"{n / max(1, s.events):.1%}")
    t.add_row("[bold]total", f"[bold]{s.events:,}", "")
    console.print(t)
    types = ", ".join(f"{k} {v:,}" for k, v in s.orders_by_type.items() if v)
    console.print(f"new orders by type: {types}", highlight=False)
    console.print(
        f"rate      quiet {s.quiet_rate:,.0f}/s (10th pct of seconds), median "
        f"{s.median_rate:,.0f}/s, peak second {s.peak_rate:,}/s at t={s.peak_second}s "
        f"(x{s.peak_to_quiet:.1f} quiet), busiest 100 ms at {s.peak_100ms_rate:,}/s "
        f"(x{s.peak_100ms_rate / max(s.quiet_rate, 1):.0f} quiet)",
        highlight=False,
    )
    console.print(f"events/s  {sparkline(s.rates())}", highlight=False)


def cmd_config(args: argparse.Namespace) -> int:
    from hotpath_lab.scenarios import ManifestError, load_manifest

    try:
        manifest = load_manifest(args.manifest)
    except ManifestError as exc:
        raise InputError(str(exc)) from exc
    print(manifest.config_json())
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from hotpath_lab.scenarios.binance import UnsyncedBooksError, import_binance_scenario

    if not args.dir.is_dir():
        raise InputError(f"{args.dir}: not a directory")
    check_output_file(args.out, "--out")  # before minutes of importing, not after
    try:
        with progress_bar("importing binance captures") as progress:
            result = import_binance_scenario(
                args.dir,
                args.out,
                seed=args.seed,
                manifest=None if args.market_only else args.manifest,
                progress=progress,
                book_ticker=args.book_ticker,
                skip_streams=args.skip_stream,
                allow_unsynced=args.allow_unsynced,
            )
    except UnsyncedBooksError as exc:
        render_sync_counters(exc.stats.files)
        raise InputError(f"{exc} (--allow-unsynced imports them anyway)") from exc
    except (ValueError, OSError) as exc:  # CaptureError, ManifestError, FormatError, I/O
        raise InputError(str(exc)) from exc
    render_sync_counters(result.stats.files)
    for f in result.unsynced:
        console_err.print(
            f"[bold yellow]warning:[/] {f.path}: the book never synchronised "
            f"({f.why_unsynced()}); imported anyway (--allow-unsynced)",
            highlight=False,
        )
    if result.overlay_stats:
        flow = json.dumps(result.overlay_stats, sort_keys=True)[:400]
        console_err.print(f"order flow: {flow}", highlight=False)
    console.print(
        f"{result.events:,} events ({result.market_events:,} market data) -> {args.out}",
        highlight=False,
    )
    return EXIT_OK


SYNC_COLUMNS = (
    ("snapshots", "snapshots_used"),
    ("diffs applied", "diffs_applied"),
    ("dropped before sync", "diffs_dropped_before_sync"),
    ("dropped unsynced", "diffs_dropped_unsynced"),
    ("gaps", "gaps"),
    ("resyncs", "resyncs"),
    ("trades", "trades"),
)
"""The per-file counters the import prints (all of them are in the metadata)."""


def render_sync_counters(files: Iterable[FileStats]) -> None:
    """One row per capture file: how its book synchronised (books that never did in red)."""
    from hotpath_lab.scenarios.binance import ImportStats

    files = tuple(files)
    unsynced = {f.path for f in ImportStats(files).unsynced()}
    t = Table(title="book synchronisation per capture file", show_edge=False)
    t.add_column("file")
    t.add_column("lines", justify="right")
    for title, _ in SYNC_COLUMNS:
        t.add_column(title, justify="right")
    for f in files:
        cells = [f"{getattr(f, name):,}" for _, name in SYNC_COLUMNS]
        name = f"[bold red]{f.path}[/]" if f.path in unsynced else f.path
        t.add_row(name, f"{f.lines:,}", *cells)
    console.print(t)
