"""``run.json`` as frozen dataclasses: the one description of a run's document.

``hotpath bench`` builds a ``Run`` before it writes anything (a malformed document cannot
be written), every reader gets a ``Run`` from ``storage.load_run``, and
``docs/run.schema.json`` is generated from these classes (``storage.schema``). Field
meanings are in ``docs/results.md``; latencies are integers in ns.

A run is ``in-process`` (``hotpath bench``: one worker per build) or ``wire``
(``hotpath bench --mode wire``: gateway processes measured by the load generator,
``wire_model``). Sections that a run may lack are ``None``: ``throughput`` (no closed-loop
pass), ``overhead_ns`` (``--no-overhead``), ``jitter`` (``--jitter-seconds 0``),
``cpu_samples`` (no CPU samples taken), ``profiles`` (no ``--profile``); in a wire run,
the in-process-only sections of each build (``timed_pass``, ``gc``, ``memory``) are absent
and ``wire`` is present, and the run has ``floors`` and a run-level ``wire`` section.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, get_args, get_type_hints

from hotpath_lab.options import RunOptions
from hotpath_lab.storage.codec import Json, doc, extra_keys, may_be_absent
from hotpath_lab.storage.dropcopy_model import DropCopyFigures
from hotpath_lab.storage.latency_model import METRICS, Latencies, LatencySummary
from hotpath_lab.storage.wire_model import WirePass, WireRun

if TYPE_CHECKING:
    from hotpath_lab.inspection import ScenarioSummary

__all__ = ["METRICS", "Latencies", "LatencySummary"]  # re-exported: readers import them here

# -- one build ----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Outcomes:
    """The timed pass's report stream counted (``hotpath_lab.outcomes``)."""

    reports: int
    by_kind: Mapping[str, int]
    rejects_by_reason: Mapping[str, int] = field(
        metadata=doc("STAGE/REASON → count, every reason listed")
    )
    cancels_by_reason: Mapping[str, int]
    fills_by_liquidity: Mapping[str, int]
    filled_qty: int
    halted_accounts: tuple[int, ...]


@dataclass(frozen=True, kw_only=True)
class TimedPass:
    """The open-loop pass that every latency comes from."""

    pace: str
    speed: float
    wall_s: float
    cpu_s: float
    user_s: float
    system_s: float
    spin_s: float = field(metadata=doc("the driver's busy-polling, wall seconds"))
    spin_lost_s: float = field(
        metadata=doc("of spin_s, the gaps in which the polling thread was not running")
    )
    busy_cpu_utilisation: float = field(
        metadata=doc("(cpu − (spin − spin_lost)) ÷ wall: the build's share of a core")
    )
    late_dispatch_ns: LatencySummary = field(metadata=doc("start − intended of every event"))
    t0_ns: int = field(metadata=doc("CLOCK_MONOTONIC time 0 of the .hlog and the gc/cpu CSVs"))


@dataclass(frozen=True, kw_only=True)
class GcGeneration:
    """Collections of one generation."""

    count: int
    total_ms: float
    max_ms: float


@dataclass(frozen=True, kw_only=True)
class GcSummary:
    """Garbage-collector activity during one pass (zero collections for the Rust builds:
    measured the same way)."""

    count: int
    total_ms: float
    max_ms: float
    collected: int
    by_generation: Mapping[str, GcGeneration] = field(metadata=doc('"0", "1", "2"'))


@dataclass(frozen=True, kw_only=True)
class TailOverlap:
    """Of the slowest order requests by end-to-end latency, how many overlapped a
    collection (the pause intersects [intended, end])."""

    slowest: int
    overlapped: int
    share: float
    threshold_ns: int


@dataclass(frozen=True, kw_only=True)
class TimedGc(GcSummary):
    """GC during the timed pass, with how much of the tail it explains."""

    tail_overlap: TailOverlap = field(metadata=doc("the slowest 0.1 %"))
    tail_overlap_levels: Mapping[str, TailOverlap] | None = field(
        default=None, metadata=may_be_absent('the same at "0.01", "0.001", "0.0001"')
    )

    def overlap_at(self, level: str) -> TailOverlap | None:
        """The overlap at share ``level`` (``"0.001"`` is also ``tail_overlap``)."""
        levels = dict(self.tail_overlap_levels or {})
        levels.setdefault("0.001", self.tail_overlap)
        return levels.get(level)


@dataclass(frozen=True, kw_only=True)
class Throughput:
    """The closed-loop pass: as fast as the build goes."""

    wall_s: float
    cpu_s: float
    user_s: float
    system_s: float
    events_per_s: float
    orders_per_s: float
    cpu_per_order_ns: float
    cpu_per_event_ns: float
    digest: str
    gc: GcSummary


@dataclass(frozen=True, kw_only=True)
class Memory:
    """Resident memory of the build and the worker."""

    rss_before_bytes: int = field(metadata=doc("before any engine existed, scenario mapped"))
    peak_rss_bytes: int = field(
        metadata=doc("the worker's VmHWM over all passes, harness included")
    )
    timing_arrays_bytes: int = field(metadata=doc("the harness's per-event arrays"))
    engine_rss_bytes: int = field(
        metadata=doc(
            "what the engine holds after the whole session (a separate replay's resident growth)"
        )
    )
    engine_reports: int


@dataclass(frozen=True, kw_only=True)
class Overhead:
    """The driver with an empty pipeline, open loop at ``rate_per_s`` for ``events`` events."""

    events: int
    rate_per_s: float
    latency: LatencySummary = field(metadata=doc("end − intended of every event"))
    service: LatencySummary = field(metadata=doc("end − start of every event"))


@dataclass(frozen=True, kw_only=True)
class Jitter:
    """The machine's noise floor, probed in the worker before its passes: gaps a spinning
    thread saw beyond ``threshold_ns``. Beyond the 1 − ``stolen_share`` quantile, latency is
    the machine's."""

    duration_ns: int
    threshold_ns: int
    count: int
    per_second: float
    stolen_ns: int
    stolen_share: float
    p50_ns: int
    p99_ns: int
    max_ns: int


@dataclass(frozen=True, kw_only=True)
class CpuSamples:
    """Summary of ``cpu-<build>.csv`` (the worker sampled from the parent)."""

    period_s: float
    samples: int
    timed_mean_cpu_pct: float | None
    timed_max_cpu_pct: float | None
    max_cpu_pct: float | None
    peak_rss_sampled_bytes: int


@dataclass(frozen=True, kw_only=True)
class BuildFiles:
    """Names of this build's files in the run folder."""

    hlog: str
    hgrm: Mapping[str, str] = field(metadata=doc("metric → .hgrm file"))
    gc_csv: str | None = field(default=None, metadata=may_be_absent("in-process runs"))
    cpu_csv: str | None = field(default=None, metadata=may_be_absent())
    wire_json: str | None = field(
        default=None, metadata=may_be_absent("wire runs: the generator's NAME.wire.json")
    )
    reports: str | None = field(
        default=None, metadata=may_be_absent("wire runs: the reports received (.hpr)")
    )
    gateway_log: str | None = field(
        default=None, metadata=may_be_absent("wire runs: the gateway's stdout and stderr")
    )


@dataclass(frozen=True, kw_only=True)
class PeerFigures:
    """``builds.<build>.peer``: a peer, another project's order path driven on the scenario
    (docs/peers.md). It is not shadow-equal: its ``digest`` is of its own outcomes
    translated into report records, never compared with the other builds'."""

    package: str
    version: str | None
    interpreter: str = field(metadata=doc("the Python its worker ran on (its own venv)"))
    requests: Mapping[str, int] = field(
        metadata=doc("order requests by what its path decided (docs/peers.md)")
    )
    submit_ns: LatencySummary = field(
        metadata=doc("its submit path: command sent → handed on (or denied by its risk check)")
    )
    submit_to_accepted_ns: LatencySummary = field(
        metadata=doc("command sent → accepted by its venue (accepted orders)")
    )
    submit_to_answer_ns: LatencySummary = field(
        metadata=doc("command sent → the first answer of its path, whatever it was")
    )


@dataclass(frozen=True, kw_only=True)
class BuildResult:
    """``builds.<build>``: everything measured for one build."""

    build: str = field(metadata=doc("the build's name: its one identity in the run"))
    spec: str = field(metadata=doc("the --builds entry it was loaded from"))
    description: str
    driver: Literal["python-asyncio-loop", "self-driven", "wire"] = field(
        metadata=doc(
            "how it was fed: the Python loop, its own loop (rust-native), or over the wire "
            "by hotpath-loadgen"
        )
    )
    events: int
    order_requests: int
    warmup_events: int = field(metadata=doc("run on a separate, discarded engine"))
    digest: str = field(metadata=doc("SHA-256 of the timed pass's report stream"))
    reports: int
    outcomes: Outcomes
    latency_ns: Latencies
    files: BuildFiles
    timed_pass: TimedPass | None = field(default=None, metadata=may_be_absent("in-process runs"))
    gc: TimedGc | None = field(default=None, metadata=may_be_absent("in-process runs"))
    memory: Memory | None = field(default=None, metadata=may_be_absent("in-process runs"))
    throughput: Throughput | None = field(default=None, metadata=may_be_absent())
    overhead_ns: Overhead | None = field(default=None, metadata=may_be_absent())
    jitter: Jitter | None = field(default=None, metadata=may_be_absent())
    cpu_samples: CpuSamples | None = field(default=None, metadata=may_be_absent())
    wire: WirePass | None = field(default=None, metadata=may_be_absent("wire runs"))
    peer: PeerFigures | None = field(
        default=None, metadata=may_be_absent("peer builds, which are not shadow-equal")
    )
    drop_copy: DropCopyFigures | None = field(
        default=None, metadata=may_be_absent("rows without the drop-copy (docs/dropcopy.md)")
    )

    @property
    def shadow_equal(self) -> bool:
        """Whether its report stream is compared with the others' (every build but a peer)."""
        return self.peer is None


@dataclass(frozen=True, kw_only=True)
class FloorResult:
    """``floors.<floor>`` of a wire run: a target with no pipeline behind it (``zmq-echo``,
    ``tcp-echo``; docs/wire.md), measured like the gateways. It produces no reports."""

    floor: str = field(metadata=doc("its name: its one identity in the run"))
    description: str
    events: int
    order_requests: int
    warmup_events: int
    latency_ns: Latencies
    files: BuildFiles
    wire: WirePass
    cpu_samples: CpuSamples | None = field(default=None, metadata=may_be_absent())


Measured = BuildResult | FloorResult
"""Anything with latencies and files in a run: a build, or a floor of a wire run."""


# -- the run -----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Scenario:
    """The scenario file replayed."""

    name: str
    path: str
    sha256: str = field(metadata=doc("of the whole file"))
    events: int
    order_requests: int
    market_data_events: int
    span_s: float
    peak_rate_per_s: float
    median_rate_per_s: float
    source: Json = field(metadata=doc("generator or import provenance"))

    @classmethod
    def of(cls, summary: ScenarioSummary) -> Scenario:
        """The section of a scenario file summarised by ``inspection.summarize``."""
        return cls(
            name=summary.name,
            path=summary.path,
            sha256=summary.digest,
            events=summary.events,
            order_requests=summary.order_requests,
            market_data_events=summary.market_data_events,
            span_s=summary.duration_s,
            peak_rate_per_s=summary.peak_rate,
            median_rate_per_s=summary.median_rate,
            source=summary.source,
        )


@dataclass(frozen=True, kw_only=True)
class GitState:
    """The commit measured."""

    sha: str
    short: str
    dirty: bool | None


@dataclass(frozen=True, kw_only=True)
class Environment:
    """Where the numbers were measured (``hotpath_lab.environment``)."""

    cpu_model: str
    cpu_count: int | None
    cpu_affinity: tuple[int, ...] | None
    kernel: str
    os: str
    machine: str
    hostname: str
    python: str
    python_implementation: str
    rustc: str | None
    numpy: str | None
    hotpath_rs: str | None = field(metadata=doc("version of the Rust extension"))
    build_profile: str | None = field(metadata=doc("release or debug"))
    hotpath_toolkit: str | None = field(
        default=None, metadata=doc("version of the lab's native toolkit (rust-native runs in it)")
    )
    toolkit_build_profile: str | None = field(default=None, metadata=doc("release or debug"))
    git: GitState
    clocksource: str | None
    cpu_governor: str | None
    canary: str | None = field(
        default=None, metadata=doc("HOTPATH_CANARY when the run was made (docs/gate.md)")
    )
    others: Mapping[str, Json] = field(default_factory=dict, metadata=extra_keys())


@dataclass(frozen=True, kw_only=True)
class Ratios:
    """Python ÷ another build: how many times slower (or bigger) Python is. Figures where
    higher is better (throughput) are the other build's ÷ Python's. ``None`` where either
    figure is missing or zero. ``storage.figures`` holds the rule."""

    e2e_p50: float | None
    e2e_p99: float | None
    e2e_p999: float | None
    e2e_max: float | None
    service_p99: float | None = field(
        metadata=doc("the engines without the queue in front of them")
    )
    tick_to_book_p99: float | None
    throughput_orders: float | None
    cpu_per_order: float | None
    peak_rss: float | None
    engine_memory: float | None


@dataclass(frozen=True, kw_only=True)
class ProfileFiles:
    """This build's profile files in the run folder."""

    flame_svg: str
    speedscope: str
    folded: str


@dataclass(frozen=True, kw_only=True)
class SelfTime:
    """A function at the top of the stack."""

    function: str
    category: str
    samples: int
    share: float


@dataclass(frozen=True, kw_only=True)
class Attribution:
    """Where the profile's samples fell."""

    samples: int
    engine_share: float
    by_owner: Mapping[str, int]
    top_self: tuple[SelfTime, ...]


@dataclass(frozen=True, kw_only=True)
class BuildProfile:
    """One build's profile pass (py-spy, a separate closed-loop replay)."""

    build: str
    files: ProfileFiles
    sampler: str
    rate_hz: int
    replay_s: float
    passes: int
    events_per_s: float
    control_events_per_s: float | None
    overhead: float | None = field(metadata=doc("1 − profiled ÷ unprofiled events/s"))
    digest: str
    digest_matches_timed: bool | None
    extension: Json = field(metadata=doc("which copy of the Rust extension was profiled"))
    samples: int
    outside_samples: int
    native_only_samples: int
    attribution: Attribution
    throughput_pass_events_per_s: float | None


@dataclass(frozen=True, kw_only=True)
class Profiles:
    """``--profile``: per build, the profile files and where the samples fell."""

    note: str | None
    builds: Mapping[str, BuildProfile]
    errors: Mapping[str, str] = field(metadata=doc("build → why its profile failed"))


RunMode = Literal["in-process", "wire"]


@dataclass(frozen=True, kw_only=True)
class Run:
    """A ``hotpath bench`` run: ``results/<scenario>/<run id>/run.json``."""

    schema: Literal["hotpath.run/3"] = "hotpath.run/3"
    mode: RunMode = field(
        metadata=doc("in-process: one worker per build; wire: gateways over the wire")
    )
    run_id: str
    created_utc: str
    duration_s: float
    scenario: Scenario
    options: RunOptions = field(metadata=doc("hotpath_lab.options.RunOptions"))
    environment: Environment
    builds: Mapping[str, BuildResult]
    digests: Mapping[str, str] = field(
        metadata=doc("build → report digest, of the shadow-equal builds (not the peers)")
    )
    agree: bool = field(
        metadata=doc(
            "every shadow-equal build and every pass produced the same report digest (wire: "
            "the in-process reference's, by the generator and by the gateway)"
        )
    )
    ratios: Mapping[str, Ratios] = field(
        metadata=doc('"python/<build>" (wire: "wire-python/wire-rust") → Python ÷ that build')
    )
    profiles: Profiles | None = field(default=None, metadata=may_be_absent())
    floors: Mapping[str, FloorResult] | None = field(
        default=None, metadata=may_be_absent("wire runs: zmq-echo and tcp-echo")
    )
    wire: WireRun | None = field(default=None, metadata=may_be_absent("wire runs"))

    def build(self, name: str) -> BuildResult:
        try:
            return self.builds[name]
        except KeyError:
            raise KeyError(f"run {self.run_id} has no build {name!r}") from None

    @property
    def measured(self) -> dict[str, Measured]:
        """Every target with latencies and files: the floors of a wire run, then the
        builds in ``--builds`` order (the order tables and plots show them; the document
        keeps its keys sorted)."""
        given = {spec: i for i, spec in enumerate(self.options.builds)}
        builds = sorted(self.builds.items(), key=lambda kv: given.get(kv[1].spec, len(given)))
        return {**dict(sorted((self.floors or {}).items())), **dict(builds)}

    def target(self, name: str) -> Measured:
        try:
            return self.measured[name]
        except KeyError:
            raise KeyError(f"run {self.run_id} has no build or floor {name!r}") from None


RUN_SCHEMA: str = get_args(get_type_hints(Run)["schema"])[0]
"""The schema version this model writes (``Run.schema``)."""

EARLIER_SCHEMAS: dict[str, RunMode] = {"hotpath.run/2": "in-process"}
"""Earlier versions this model also reads, and the mode their runs had: version 3 only
made the in-process sections optional and added the wire ones, so a version-2 document is
a version-3 document of an in-process run (docs/results.md)."""
