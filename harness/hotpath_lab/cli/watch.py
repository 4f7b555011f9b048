"""``hotpath watch``: a live summary of the drop-copy (``docs/dropcopy.md``) — per publishing
row, the reports received, their rate, fills/rejects/cancels, the last seq, the lag once the
pass has ended, and the largest positions."""

from __future__ import annotations

import argparse
import time
from typing import Any

from rich.live import Live

from hotpath_lab.cli.common import EXIT_OK, EXIT_USAGE, console, console_err, positive_float
from hotpath_lab.dropcopy.client import RedisUnreachable, connect
from hotpath_lab.dropcopy.watch import DropCopyWatch, render

DEFAULT_URL = "redis://127.0.0.1:6379"


def register(sub: Any) -> None:
    p = sub.add_parser(
        "watch",
        help="live summary of the drop-copy: reports, rates, fills, positions per build",
        description="Follow the drop-copy's run index (hotpath:runs) on a Redis server and "
        "show, per publishing row of a run, the reports received, their rate, the fill, "
        "reject and cancel counts, the last seq, the lag behind the reports produced once the "
        "pass has ended, and the largest positions of the latest snapshot. Ctrl-C ends it.",
    )
    p.add_argument(
        "--redis", default=DEFAULT_URL, metavar="URL", help=f"the server (default {DEFAULT_URL})"
    )
    p.add_argument(
        "--run", default=None, metavar="RUN_ID", help="the run to show (default: the latest)"
    )
    p.add_argument("--once", action="store_true", help="print one summary and exit")
    p.add_argument(
        "--interval",
        type=positive_float,
        default=1.0,
        metavar="S",
        help="seconds between refreshes (default 1)",
    )
    p.set_defaults(handler=cmd_watch)


def cmd_watch(args: argparse.Namespace) -> int:
    try:
        client = connect(args.redis)
    except RedisUnreachable as exc:
        console_err.print(f"[bold red]error:[/] {exc}", highlight=False)
        return EXIT_USAGE
    watch = DropCopyWatch(client, args.run)
    try:
        if args.once:
            console.print(render(watch.refresh(), watch.run, args.redis))
            return EXIT_OK
        with Live(render([], args.run, args.redis), console=console, auto_refresh=False) as live:
            while True:
                live.update(render(watch.refresh(), watch.run, args.redis), refresh=True)
                time.sleep(args.interval)
    except KeyboardInterrupt:
        return EXIT_OK
    finally:
        client.close()
