"""The targets a wire run measures: the two gateway builds and the two floors.

Each target is a process started from a command: ``wire-rust`` and the floors from the
``hotpath-gateway`` binary, ``wire-python`` from the Python gateway module. The generator
is told what it talks to (``--target gateway|zmq-echo|tcp-echo``).
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from typing import Literal

from hotpath_lab.drivers.plugin import BuildSpecError, DropCopyTarget
from hotpath_lab.storage.wire_model import WireTargetKind
from hotpath_lab.wire.binaries import GATEWAY, binary

Engine = Literal["inline", "thread"]
Poll = Literal["spin", "park"]
ENGINES: tuple[Engine, ...] = ("inline", "thread")
POLLS: tuple[Poll, ...] = ("spin", "park")


@dataclass(frozen=True)
class GatewayShape:
    """``hotpath-gateway``'s options: where the engine runs and how the runtime waits."""

    engine: Engine = "inline"
    poll: Poll = "spin"


@dataclass(frozen=True)
class WireTarget:
    name: str
    kind: Literal["gateway", "floor"]
    loadgen_target: WireTargetKind
    description: str

    def command(
        self, bind: str, shape: GatewayShape, drop_copy: DropCopyTarget | None = None
    ) -> list[str]:
        """The argv that starts this target listening on ``bind``; a gateway with
        ``drop_copy`` publishes each session's reports to Redis (docs/dropcopy.md)."""
        publish = [] if drop_copy is None else _drop_copy_flags(*drop_copy)
        if publish and self.kind != "gateway":
            raise BuildSpecError(f"{self.name} is a floor: it has no reports to publish")
        if self.name == "wire-python":
            return [sys.executable, "-m", PYTHON_GATEWAY_MODULE, "--bind", bind, *publish]
        exe = str(binary(GATEWAY))
        if self.name == "wire-rust":
            return [
                exe, "--bind", bind, "--engine", shape.engine, "--poll", shape.poll, *publish
            ]  # fmt: skip
        echo = "zmq" if self.loadgen_target == "zmq-echo" else "tcp"
        # the floors run on wire-rust's runtime and polling, so the two are like for like
        return [exe, "--echo", echo, "--bind", bind, "--poll", shape.poll]


TARGETS: dict[str, WireTarget] = {
    t.name: t
    for t in (
        WireTarget(
            "tcp-echo",
            "floor",
            "tcp-echo",
            "raw TCP round trip: hotpath-gateway --echo tcp answers each frame with a bare header",
        ),
        WireTarget(
            "zmq-echo",
            "floor",
            "zmq-echo",
            "ZeroMQ floor: hotpath-gateway --echo zmq answers each frame with an empty REPORTS",
        ),
        WireTarget(
            "wire-rust",
            "gateway",
            "gateway",
            "Rust gateway (impls/rust/hotpath-gateway): Tokio, ZeroMQ, hotpath-core",
        ),
        WireTarget(
            "wire-python",
            "gateway",
            "gateway",
            "Python gateway (hotpath_asyncio.gateway): asyncio, zmq.asyncio, the Python engine",
        ),
    )
}
GATEWAYS: tuple[str, ...] = ("wire-rust", "wire-python")
FLOORS: tuple[str, ...] = ("tcp-echo", "zmq-echo")
ZMQ_FLOOR = "zmq-echo"
"""The floor every wire figure is also shown as a multiple of (the same sockets and runtime
as wire-rust, no pipeline)."""


PYTHON_GATEWAY_MODULE = "hotpath_asyncio.gateway"


def _drop_copy_flags(url: str, prefix: str, snapshot_every: int) -> list[str]:
    """The same flags on both gateways: one pair of streams per session, ``<prefix>:s<n>``."""
    return [
        "--drop-copy", url, "--drop-copy-prefix", prefix, "--snapshot-every", str(snapshot_every)
    ]  # fmt: skip


def check_python_gateway() -> None:
    """Raises ``BuildSpecError`` if the Python gateway module is not installed."""
    if importlib.util.find_spec(PYTHON_GATEWAY_MODULE) is None:
        raise BuildSpecError(
            f"wire-python: the module {PYTHON_GATEWAY_MODULE} is not installed (make setup)"
        )


def parse_targets(spec: str, *, allow_floors: bool) -> list[str]:
    """``--builds`` of a wire command as target names, in the order given; raises
    ``BuildSpecError`` naming an unknown or repeated one (as ``load_builds`` in process)."""
    names = [s.strip() for s in spec.split(",") if s.strip()]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise BuildSpecError(f"--builds {spec!r}: {', '.join(repeated)} listed twice")
    known = [*GATEWAYS, *FLOORS] if allow_floors else list(GATEWAYS)
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        raise BuildSpecError(
            f"--builds {spec!r}: "
            + (f"unknown {', '.join(unknown)}; " if unknown else "name at least one; ")
            + f"over the wire the choices are {', '.join(known)}"
        )
    return names
