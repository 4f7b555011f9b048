"""``python -m hotpath_asyncio.gateway --bind ADDR [--cpu N] [--drop-copy URL
--drop-copy-prefix P]``: the ``wire-python`` gateway."""

from __future__ import annotations

import argparse
import asyncio
import os

from hotpath_asyncio.gateway.drop_copy import DropCopySettings
from hotpath_asyncio.gateway.server import DEFAULT_BIND, run


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m hotpath_asyncio.gateway",
        description="The wire-python gateway: the wire protocol (docs/formats.md) on a ZeroMQ "
        "ROUTER socket, the Python build's engine on an asyncio loop (docs/wire.md).",
    )
    parser.add_argument(
        "--bind",
        default=DEFAULT_BIND,
        help=f"ZeroMQ TCP endpoint to bind; port 0 picks a free one (default {DEFAULT_BIND})",
    )
    parser.add_argument("--cpu", type=int, help="pin the process to this CPU")
    parser.add_argument(
        "--drop-copy",
        metavar="URL",
        help="publish each session's reports and positions to Redis Streams at URL "
        "(redis://host:port[/db]; docs/dropcopy.md); needs --drop-copy-prefix",
    )
    parser.add_argument(
        "--drop-copy-prefix", metavar="P", help="key prefix of the streams (<P>:s<session>)"
    )
    parser.add_argument(
        "--snapshot-every", type=int, default=10_000, help="a position snapshot every N reports"
    )
    args = parser.parse_args(argv)
    if (args.drop_copy is None) != (args.drop_copy_prefix is None):
        parser.error("--drop-copy and --drop-copy-prefix go together")
    if args.snapshot_every < 1:
        parser.error(f"--snapshot-every must be >= 1, got {args.snapshot_every}")
    drop_copy = (
        None
        if args.drop_copy is None
        else DropCopySettings(args.drop_copy, args.drop_copy_prefix, args.snapshot_every)
    )
    if args.cpu is not None:
        try:
            os.sched_setaffinity(0, {args.cpu})
        except OSError as exc:
            parser.error(f"--cpu {args.cpu}: {exc}")
    asyncio.run(run(args.bind, drop_copy))


if __name__ == "__main__":
    main()
