"""``hotpath replay-race``: hftbacktest and the rust-native build on one real capture."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from rich.table import Table

from hotpath_lab.cli.common import (
    EXIT_CHECK_FAILED,
    EXIT_OK,
    InputError,
    add_results_dir,
    console,
    console_err,
)
from hotpath_lab.environment import REPO

DEFAULT_CAPTURE = REPO.parent / "shared" / "data" / "binance-20240808"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from hotpath_lab.peers.hftbacktest_side import DEFAULT_PYTHON

    p = sub.add_parser(
        "replay-race",
        help="replay speed of hftbacktest and the rust-native build on a real capture",
        description="Convert a Binance capture's futures files with hftbacktest's converter "
        "and import them with ours, then replay them with hftbacktest's feed-only loop and a "
        "grid maker, and with the rust-native build over the market data and over the "
        "market data with the binance order flow. Each side's count of level updates is "
        "reconciled with a census of the capture; conversion and import time is kept apart "
        "from replay time, numba's JIT warm-up is excluded. Writes "
        "results/<capture>/replay-race-<utc>-<sha>/ (docs/peers.md).",
    )
    p.add_argument(
        "--capture",
        type=Path,
        default=DEFAULT_CAPTURE,
        help=f"directory of captures with usdm/ and cm/ (default: {DEFAULT_CAPTURE})",
    )
    p.add_argument(
        "--hftbacktest-python",
        type=Path,
        default=DEFAULT_PYTHON,
        help="interpreter of the venv holding hftbacktest (default: .venv-hftbacktest, "
        "made by make hftbacktest)",
    )
    p.add_argument(
        "--repeat", type=int, default=3, help="timed passes per loop; the median is reported"
    )
    p.add_argument(
        "--lines",
        type=int,
        default=None,
        help="replay only the first N lines of each capture file (a quick run)",
    )
    add_results_dir(p, "replay-race folders")
    p.set_defaults(handler=cmd_replay_race)


def cmd_replay_race(args: argparse.Namespace) -> int:
    from hotpath_lab.peers.capture_view import slice_capture
    from hotpath_lab.peers.hftbacktest_side import HftbacktestFailed, HftbacktestUnavailable
    from hotpath_lab.peers.race import RACE_JSON, run_race, write_race
    from hotpath_lab.peers.race_report import (
        HEADERS,
        loop_rows,
        preparation_lines,
        reconciliation_text,
    )
    from hotpath_lab.scenarios.binance import CaptureError
    from hotpath_lab.storage import results_root

    if args.repeat < 1:
        raise InputError(f"--repeat must be at least 1, got {args.repeat}")
    try:
        with tempfile.TemporaryDirectory(prefix="hotpath-race-slice-") as tmp:
            capture: Path = args.capture
            if args.lines is not None:
                capture = slice_capture(capture, Path(tmp) / capture.resolve().name, args.lines)
            console_err.print(f"replay race on {capture} (this takes a few minutes)")
            result = run_race(capture, args.hftbacktest_python, repeat=args.repeat)
    except (CaptureError, ValueError) as exc:
        raise InputError(str(exc)) from exc
    except HftbacktestUnavailable as exc:
        raise InputError(f"hftbacktest is not available: {exc}") from exc
    except HftbacktestFailed as exc:
        console_err.print(f"[bold red]error:[/] {exc}", highlight=False, markup=False)
        return EXIT_CHECK_FAILED
    doc = result.document
    table = Table(title=f"replay race on {doc['capture']['name']}")
    for h in HEADERS:
        table.add_column(h, justify="left" if h in ("side", "loop") else "right")
    for row in loop_rows(doc):
        table.add_row(*row)
    console.print(table)
    for line in preparation_lines(doc):
        console.print(line, highlight=False)
    console.print("reconciliation:", highlight=False)
    for line in reconciliation_text(doc):
        console.print(line, highlight=False, markup=False)
    folder = write_race(result, results_root(args.results_dir))
    console.print(f"results: {folder / RACE_JSON}", highlight=False)
    if not doc["reconciled"]:
        console_err.print("[bold red]the counts do not reconcile[/] (see above)")
        return EXIT_CHECK_FAILED
    return EXIT_OK
