"""The wire sections of ``run.json`` (``mode: "wire"``, docs/wire.md).

A wire run measures gateway processes through the load generator ``hotpath-loadgen``: each
measured target (a gateway build, or a floor: ``zmq-echo``, ``tcp-echo``) carries a
``WirePass`` (what the generator saw, and the gateway process's CPU and memory sampled
from /proc), and the run carries a ``WireRun`` (the in-process reference digest every
gateway must reproduce, the multiples of the floors, the settings). Field meanings are in
``docs/results.md``; latencies are integers in ns.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from hotpath_lab.storage.codec import Json, doc
from hotpath_lab.storage.latency_model import LatencySummary

WireTargetKind = Literal["gateway", "zmq-echo", "tcp-echo"]
"""What ``hotpath-loadgen --target`` talked to."""


@dataclass(frozen=True, kw_only=True)
class Trend:
    """Median e2e of the first and of the last quarter of the order requests (by intended
    time): a backlog that grows during the session shows as last ≫ first."""

    e2e_p50_first_ns: int
    e2e_p50_last_ns: int


@dataclass(frozen=True, kw_only=True)
class GatewayProcess:
    """The gateway process, seen from outside: its command, where it listened, and its CPU
    and memory read from /proc while the generator ran."""

    command: tuple[str, ...]
    endpoint: str = field(metadata=doc("the endpoint of its listening line"))
    pid: int
    cpu: int | None = field(metadata=doc("the core every thread was pinned to, or null"))
    engine: str | None = field(metadata=doc("from the listening line (wire-rust)"))
    poll: str | None = field(metadata=doc("from the listening line (wire-rust)"))
    cpu_s: float = field(metadata=doc("CPU time of all its threads during the timed session"))
    cpu_share: float = field(metadata=doc("cpu_s ÷ the session's wall_s: its share of a core"))
    cpu_per_order_ns: float | None = field(
        metadata=doc("cpu_s ÷ order requests, at the offered pace (a spinning poll burns its core)")
    )
    cpu_per_event_ns: float | None
    lifetime_cpu_s: float = field(metadata=doc("from start to stop: warm-up and idle included"))
    peak_rss_bytes: int = field(metadata=doc("VmHWM just before it was stopped"))
    stopped: Json = field(metadata=doc("its stopped line, as it printed it"))


@dataclass(frozen=True, kw_only=True)
class WirePass:
    """One target's timed session over the wire (``hotpath-loadgen``'s ``NAME.wire.json``)
    and the process that answered it."""

    target: WireTargetKind
    connect: str
    pace: str
    speed: float
    rate_per_s: float | None = field(metadata=doc("--pace rate:N, else null"))
    max_batch: int
    window: int
    frames: int = field(metadata=doc("EVENTS frames sent in the timed session"))
    batch_mean: float = field(metadata=doc("events per frame"))
    batch_max: int
    wall_s: float = field(metadata=doc("first send to last answer"))
    offered_per_s: float | None = field(
        metadata=doc("events ÷ span of their intended times (null for --pace max)")
    )
    achieved_per_s: float = field(metadata=doc("events ÷ wall_s"))
    send_lag_ns: LatencySummary = field(
        metadata=doc("start − intended: how late the generator wrote each event")
    )
    in_flight_max: int = field(metadata=doc("most frames sent but not yet answered"))
    trend: Trend
    loadgen_cpu: int | None = field(metadata=doc("the core the generator was pinned to"))
    loadgen_cpu_s: float = field(metadata=doc("the generator's CPU time"))
    errors: Mapping[str, int] = field(metadata=doc("ERROR frames received, by code name"))
    finished: Json = field(metadata=doc("the gateway's FINISHED summary (null for a floor)"))
    t0_ns: int = field(metadata=doc("CLOCK_MONOTONIC time 0 of the .hlog and the cpu CSV"))
    gateway: GatewayProcess


@dataclass(frozen=True, kw_only=True)
class ReferenceDigest:
    """The scenario replayed in process: the report stream every gateway must reproduce."""

    build: str = field(metadata=doc("the in-process build that replayed it"))
    digest: str
    reports: int


@dataclass(frozen=True, kw_only=True)
class FloorMultiples:
    """A target's e2e percentiles ÷ a floor's (``None`` where the floor's is 0)."""

    e2e_p50: float | None
    e2e_p99: float | None
    e2e_p999: float | None


@dataclass(frozen=True, kw_only=True)
class WireSettings:
    """How the wire run was set up (beyond ``options``)."""

    engine: Literal["inline", "thread"] = field(metadata=doc("wire-rust's --engine"))
    poll: Literal["spin", "park"] = field(metadata=doc("wire-rust's and the floors' --poll"))
    max_batch: int | None = field(metadata=doc("--max-batch, null: the generator's default"))
    window: int | None = field(metadata=doc("--window, null: the generator's default"))
    gateway_cpu: int | None = field(metadata=doc("the core every gateway was pinned to"))
    loadgen_cpu: int | None = field(metadata=doc("the core the generator was pinned to"))
    bind_host: str = field(metadata=doc("the loopback address the gateways bound"))
    gateway_binary: str
    loadgen_binary: str


@dataclass(frozen=True, kw_only=True)
class WireRun:
    """``wire``: the run-level facts of a wire run."""

    reference: ReferenceDigest
    gateway_digests: Mapping[str, str] = field(
        metadata=doc("build → the digest of its gateway's FINISHED summary")
    )
    divergences: Mapping[str, str] = field(
        metadata=doc("build → the first report where it differs from the reference")
    )
    floor_multiples: Mapping[str, FloorMultiples] = field(
        metadata=doc("\"<target>/<floor>\" → that target's e2e percentiles ÷ the floor's")
    )
    settings: WireSettings
