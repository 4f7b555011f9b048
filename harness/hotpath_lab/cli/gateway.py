"""``hotpath gateway``: run one gateway (or floor) in the foreground, for the two-host
recipe of docs/wire.md: the same process and command line the harness starts."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from hotpath_lab.cli.common import EXIT_USAGE, console_err
from hotpath_lab.drivers.plugin import BuildSpecError
from hotpath_lab.wire.affinity import check_core
from hotpath_lab.wire.targets import (
    ENGINES,
    FLOORS,
    GATEWAYS,
    POLLS,
    TARGETS,
    GatewayShape,
    check_python_gateway,
)


def register(sub: Any) -> None:
    p = sub.add_parser(
        "gateway",
        help="run a gateway (or a floor) in the foreground",
        description="Start a gateway process listening on --bind and hand it this terminal "
        "(the command is replaced by the gateway: its listening line, its stopped line on "
        "Ctrl-C or SIGTERM, its exit code). For running the gateway and hotpath-loadgen on "
        "two hosts (docs/wire.md, 'Across a network').",
    )
    p.add_argument("--build", required=True, choices=[*GATEWAYS, *FLOORS], help="what to serve")
    p.add_argument(
        "--bind",
        default="tcp://127.0.0.1:5555",
        help="ZeroMQ TCP endpoint to bind; tcp://0.0.0.0:PORT serves another host, port 0 "
        "picks a free port (default: %(default)s)",
    )
    p.add_argument(
        "--engine", choices=ENGINES, default=None, help="wire-rust only (default inline)"
    )
    p.add_argument(
        "--poll", choices=POLLS, default=None, help="wire-rust and the floors (default spin)"
    )
    p.add_argument("--cpu", type=int, default=None, help="pin every thread to this core")
    p.add_argument(
        "--drop-copy",
        metavar="URL",
        default=None,
        help="gateways: publish each session's reports and positions to Redis Streams at URL "
        "(redis://host:port[/db]) under <prefix>:s<session> (docs/dropcopy.md)",
    )
    p.add_argument(
        "--drop-copy-prefix",
        default="hotpath:gateway",
        help="key prefix of the drop-copy streams (default %(default)s)",
    )
    p.add_argument(
        "--snapshot-every",
        type=int,
        default=10_000,
        help="with --drop-copy: a position snapshot every N reports (default %(default)s)",
    )
    p.set_defaults(handler=cmd_gateway)


def cmd_gateway(args: argparse.Namespace) -> int:
    target = TARGETS[args.build]
    if args.build != "wire-rust" and args.engine is not None:
        return _usage("--engine applies to wire-rust only")
    if args.build == "wire-python" and args.poll is not None:
        return _usage("--poll applies to wire-rust and the floors (wire-python sleeps in asyncio)")
    if not args.bind.startswith("tcp://"):
        return _usage(f"--bind {args.bind!r}: expected tcp://HOST:PORT")
    if args.cpu is not None:
        try:
            check_core(args.cpu, "--cpu")
        except ValueError as exc:
            return _usage(str(exc))
    if args.build == "wire-python":
        check_python_gateway()
    drop_copy = None
    if args.drop_copy is not None:
        if not args.drop_copy.startswith("redis://") or args.snapshot_every < 1:
            return _usage(
                f"--drop-copy {args.drop_copy!r} --snapshot-every {args.snapshot_every}: "
                "expected redis://host:port[/db] and a count >= 1"
            )
        if target.kind != "gateway":
            return _usage(f"--drop-copy: {args.build} is a floor, it has no reports")
        drop_copy = (args.drop_copy, args.drop_copy_prefix, args.snapshot_every)
    shape = GatewayShape(engine=args.engine or "inline", poll=args.poll or "spin")
    argv = target.command(args.bind, shape, drop_copy)
    if args.cpu is not None:
        os.sched_setaffinity(0, {args.cpu})  # inherited by the exec'd program's threads
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execv(argv[0], argv)
    except OSError as exc:
        raise BuildSpecError(f"cannot start {argv[0]}: {exc}") from exc


def _usage(message: str) -> int:
    console_err.print(f"[bold red]error:[/] {message}", highlight=False)
    return EXIT_USAGE
