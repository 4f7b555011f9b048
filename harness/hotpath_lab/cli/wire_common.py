"""Options shared by the commands that measure over the wire (``hotpath bench --mode
wire``, ``hotpath sweep``): the Rust gateway's shape, the cores, the generator's framing."""

from __future__ import annotations

import argparse

from hotpath_lab.wire.affinity import Placement, check_core, default_placement
from hotpath_lab.wire.bench import WireBenchSettings
from hotpath_lab.wire.targets import ENGINES, POLLS, GatewayShape


def add_wire_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("over the wire (docs/wire.md)")
    g.add_argument(
        "--engine",
        choices=ENGINES,
        default="inline",
        help="wire-rust: the engine on the I/O task or on its own thread (default: %(default)s)",
    )
    g.add_argument(
        "--poll",
        choices=POLLS,
        default="spin",
        help="wire-rust and the floors: busy-poll the sockets or sleep in epoll "
        "(default: %(default)s)",
    )
    g.add_argument(
        "--gateway-cpu",
        type=int,
        default=None,
        help="the core every gateway thread is pinned to (default: the last allowed core)",
    )
    g.add_argument(
        "--loadgen-cpu",
        type=int,
        default=None,
        help="the core hotpath-loadgen is pinned to (default: the first allowed core)",
    )
    g.add_argument("--no-pin", action="store_true", help="pin neither side")
    g.add_argument(
        "--max-batch",
        type=int,
        default=None,
        help="hotpath-loadgen --max-batch: most events per frame (default: its own, 256)",
    )
    g.add_argument(
        "--window",
        type=int,
        default=None,
        help="hotpath-loadgen --window: most frames in flight (default: its own, 2)",
    )
    g.add_argument(
        "--timeout-s",
        type=float,
        default=None,
        help="hotpath-loadgen --timeout-s: a target silent this long failed (default: 30)",
    )


def shape(args: argparse.Namespace) -> GatewayShape:
    return GatewayShape(engine=args.engine, poll=args.poll)


def placement(args: argparse.Namespace) -> Placement:
    """The cores of both sides; raises ``ValueError`` naming a bad option."""
    if args.no_pin:
        return Placement(None, None)
    default = default_placement()
    gateway = default.gateway if args.gateway_cpu is None else args.gateway_cpu
    loadgen = default.loadgen if args.loadgen_cpu is None else args.loadgen_cpu
    if gateway is not None:
        check_core(gateway, "--gateway-cpu")
    if loadgen is not None:
        check_core(loadgen, "--loadgen-cpu")
    return Placement(gateway=gateway, loadgen=loadgen)


def wire_settings(args: argparse.Namespace) -> WireBenchSettings:
    """Everything ``add_wire_options`` sets; raises ``ValueError`` naming a bad option."""
    for option, value in (("--max-batch", args.max_batch), ("--window", args.window)):
        if value is not None and value < 1:
            raise ValueError(f"{option} must be at least 1, got {value}")
    if args.timeout_s is not None and not args.timeout_s > 0:
        raise ValueError(f"--timeout-s must be positive, got {args.timeout_s}")
    return WireBenchSettings(
        shape=shape(args),
        placement=placement(args),
        max_batch=args.max_batch,
        window=args.window,
        timeout_s=args.timeout_s,
    )
