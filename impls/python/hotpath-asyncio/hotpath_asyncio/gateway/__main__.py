"""``python -m hotpath_asyncio.gateway --bind ADDR [--cpu N]``: the ``wire-python`` gateway."""

from __future__ import annotations

import argparse
import asyncio
import os

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
    args = parser.parse_args(argv)
    if args.cpu is not None:
        try:
            os.sched_setaffinity(0, {args.cpu})
        except OSError as exc:
            parser.error(f"--cpu {args.cpu}: {exc}")
    asyncio.run(run(args.bind))


if __name__ == "__main__":
    main()
