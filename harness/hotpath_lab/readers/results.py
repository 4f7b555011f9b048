"""``readers.json``, ``readers.md`` and the run folder of ``hotpath readers``.

``results/<scenario>/readers-<utc>-<sha>/`` holds ``readers.json`` (a ``ReadersRun``,
through the same codec as ``run.json``, with the machine and toolchain of
``hotpath_lab.environment``) and ``readers.md`` (the table). The folder appears whole or
not at all (``atomic_directory``).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hotpath_format import EventFile
from hotpath_lab import environment, units
from hotpath_lab.atomic import atomic_write_bytes
from hotpath_lab.inspection import summarize
from hotpath_lab.readers.experiment import Experiment
from hotpath_lab.storage import decode, document_bytes, new_results_folder
from hotpath_lab.storage.codec import doc
from hotpath_lab.storage.folders import utc_timestamp
from hotpath_lab.storage.latency_model import LatencySummary
from hotpath_lab.storage.run_model import Environment, Scenario

READERS_JSON = "readers.json"
READERS_MD = "readers.md"
READERS_SCHEMA = 1


@dataclass(frozen=True, kw_only=True)
class ReadersSettings:
    boards: tuple[str, ...]
    readers: tuple[int, ...] = field(metadata=doc("reader thread counts measured per board"))
    pace: str = field(metadata=doc("the engine's pacing: recorded, rate:N or max (closed loop)"))
    speed: float
    cores: int = field(metadata=doc("CPUs available to the process (its affinity)"))
    scale: float
    seed: int | None
    load_average: tuple[float, ...] = field(
        metadata=doc("os.getloadavg() when the run started: others' load on a shared machine")
    )


@dataclass(frozen=True, kw_only=True)
class SnapshotMemory:
    snapshot_bytes: int = field(metadata=doc("size of one heap snapshot (0: values in place)"))
    fixed_bytes: int = field(metadata=doc("the board's slots, whatever is published"))
    allocated: int = field(metadata=doc("snapshots allocated (one per publication)"))
    live: int = field(metadata=doc("alive at the end: newest per instrument + unreclaimed"))
    peak_live: int = field(
        metadata=doc("the most alive at once, garbage awaiting reclamation included")
    )
    peak_bytes: int = field(metadata=doc("fixed_bytes + peak_live × snapshot_bytes"))


@dataclass(frozen=True, kw_only=True)
class ReaderResult:
    reads: int
    empty_reads: int = field(metadata=doc("reads before the instrument's first publication"))
    wall_s: float
    reads_per_s: float
    read_latency_ns: LatencySummary = field(
        metadata=doc("one board read between two clock reads (the clock's ~20 ns included)")
    )
    stale_reads: int = field(
        metadata=doc("reads older than a publication whose event ended before the read did")
    )
    stale_measured: int = field(metadata=doc("candidate reads examined (newer head seen after)"))
    stale_unexamined: int = field(
        metadata=doc("candidates beyond the per-reader log, not examined")
    )
    stale_publications: LatencySummary = field(
        metadata=doc("per stale read: newer publications of the instrument (a count, not ns)")
    )
    stale_ns: LatencySummary = field(
        metadata=doc("per stale read: ns since the event that superseded what was read ended")
    )
    seq_regressions: int = field(metadata=doc("reads whose seq went back: always 0"))


@dataclass(frozen=True, kw_only=True)
class ReadersPoint:
    board: str = field(metadata=doc("none (the engine alone), epoch or mutex"))
    readers: int
    engine_ns: LatencySummary = field(
        metadata=doc("per-event service time of the engine thread, publication included")
    )
    engine_e2e_ns: LatencySummary = field(
        metadata=doc("order requests: completion − intended dispatch")
    )
    events: int
    engine_wall_s: float
    events_per_s: float
    publications: int
    memory: SnapshotMemory
    reader_results: tuple[ReaderResult, ...]
    digest_agrees: bool = field(metadata=doc("the pass's report digest is the plain replay's"))


@dataclass(frozen=True, kw_only=True)
class ReadersFiles:
    table_md: str


@dataclass(frozen=True, kw_only=True)
class ReadersRun:
    """``results/<scenario>/readers-<utc>-<sha>/readers.json``."""

    schema: int
    run_id: str
    created_utc: str
    duration_s: float
    scenario: Scenario
    environment: Environment
    settings: ReadersSettings
    reference_digest: str = field(metadata=doc("report digest of a plain replay"))
    points: tuple[ReadersPoint, ...]
    agree: bool = field(metadata=doc("every pass gave the plain replay's digest"))
    protocol_held: bool = field(metadata=doc("no reader saw an instrument's seq go back"))
    files: ReadersFiles


def _reader(f: dict[str, Any]) -> ReaderResult:
    wall_s = f["wall_ns"] / 1e9
    return ReaderResult(
        reads=f["reads"],
        empty_reads=f["empty_reads"],
        wall_s=wall_s,
        reads_per_s=f["reads"] / wall_s if wall_s > 0 else 0.0,
        read_latency_ns=LatencySummary(**f["read_latency"]),
        stale_reads=f["stale_reads"],
        stale_measured=f["stale_measured"],
        stale_unexamined=f["stale_unexamined"],
        stale_publications=LatencySummary(**f["stale_publications"]),
        stale_ns=LatencySummary(**f["stale_ns"]),
        seq_regressions=f["seq_regressions"],
    )


def readers_point(p: dict[str, Any], reference_digest: str) -> ReadersPoint:
    """One pass of ``readers_pass`` as stored."""
    wall_s = p["engine_wall_ns"] / 1e9
    return ReadersPoint(
        board=p["board"] or "none",
        readers=p["readers"],
        engine_ns=LatencySummary(**p["engine"]),
        engine_e2e_ns=LatencySummary(**p["engine_e2e"]),
        events=p["events"],
        engine_wall_s=wall_s,
        events_per_s=p["events"] / wall_s if wall_s > 0 else 0.0,
        publications=p["publications"],
        memory=SnapshotMemory(**p["memory"]),
        reader_results=tuple(_reader(f) for f in p["reader_figures"]),
        digest_agrees=p["digest"] == reference_digest,
    )


@dataclass(frozen=True)
class ReaderColumns:
    """A pass's readers in one row: latencies are the worst reader's, rates summed."""

    read_p50: int | None
    read_p99: int | None
    reads_per_s: float | None
    stale_share: float | None
    stale_pubs_p99: int | None
    stale_ns_p99: int | None

    @classmethod
    def of(cls, point: ReadersPoint) -> ReaderColumns:
        rs = point.reader_results
        if not rs:
            return cls(None, None, None, None, None, None)
        reads = sum(r.reads for r in rs)
        return cls(
            read_p50=max(r.read_latency_ns.p50 for r in rs),
            read_p99=max(r.read_latency_ns.p99 for r in rs),
            reads_per_s=sum(r.reads_per_s for r in rs),
            stale_share=sum(r.stale_reads for r in rs) / reads if reads else 0.0,
            stale_pubs_p99=max(r.stale_publications.p99 for r in rs),
            stale_ns_p99=max(r.stale_ns.p99 for r in rs),
        )


TABLE_COLUMNS = (
    "board", "readers", "engine P50", "engine P99", "engine P99.9", "events/s", "read P50",
    "read P99", "reads/s", "stale", "stale P99 (pubs)", "stale P99", "snapshot peak",
)  # fmt: skip


def table_cells(p: ReadersPoint) -> list[str]:
    """One row of the table, shared by ``readers.md`` and the terminal."""
    c = ReaderColumns.of(p)
    memory = units.MISSING if p.board == "none" else f"{units.count(p.memory.peak_bytes)} B"
    return [
        p.board,
        str(p.readers),
        units.latency(p.engine_ns.p50),
        units.latency(p.engine_ns.p99),
        units.latency(p.engine_ns.p999),
        units.count(p.events_per_s),
        units.latency(c.read_p50),
        units.latency(c.read_p99),
        units.count(c.reads_per_s),
        units.pct(c.stale_share, 3),
        units.count(c.stale_pubs_p99),
        units.latency(c.stale_ns_p99),
        memory,
    ]


def oversubscribed_note(run: ReadersRun) -> str | None:
    """What the cores limit, when the busiest pass had more threads than cores."""
    threads = 1 + max(run.settings.readers, default=0)
    cores = run.settings.cores
    if threads <= cores:
        return None
    return (
        f"{threads} busy threads (the engine and {threads - 1} readers) on {cores} cores: "
        "with more readers than spare cores the engine shares a core with a reader, so its "
        "tail then measures the scheduler (time slices of milliseconds) as much as the board."
    )


def table_markdown(run: ReadersRun) -> str:
    """The table of ``readers.md``: one row per pass."""
    s = run.settings
    lines = [
        f"# Book readers: {run.scenario.name}",
        "",
        f"{run.environment.cpu_model}, {s.cores} cores available; load average "
        f"{s.load_average[0]:.2f} at the start; git {run.environment.git.short}; {run.run_id}. "
        f"Pace {s.pace}. Engine latency = per-event service time (publication included); "
        "reader columns: the worst reader's latency, reads/s summed; stale = share of reads "
        "older than the instrument's newest publication at read end (docs/readers.md).",
        "",
        "| " + " | ".join(TABLE_COLUMNS) + " |",
        "|---|" + "--:|" * (len(TABLE_COLUMNS) - 1),
    ]
    lines += ["| " + " | ".join(table_cells(p)) + " |" for p in run.points]
    note = oversubscribed_note(run)
    if note:
        lines += ["", note]
    lines += [
        "",
        f"Digests: {'every pass gave' if run.agree else 'NOT every pass gave'} the plain "
        f"replay's `{run.reference_digest[:16]}…`; seq never went back: "
        f"{'yes' if run.protocol_held else 'NO'}.",
    ]
    return "\n".join(lines) + "\n"


def write_readers_run(
    scenario: EventFile,
    experiment: Experiment,
    results_root: Path,
    *,
    settings: ReadersSettings,
    started_at: float,
) -> Path:
    """Writes the run folder atomically; returns it."""
    env = environment.collect()
    summary = summarize(scenario)
    name = summary.name or scenario.path.stem
    with new_results_folder(results_root, name, "readers-", env["git"]["short"], started_at) as (
        final,
        staging,
    ):
        run = ReadersRun(
            schema=READERS_SCHEMA,
            run_id=final.name,
            created_utc=utc_timestamp(started_at),
            duration_s=time.time() - started_at,
            scenario=Scenario.of(summary),
            environment=decode(Environment, env, "environment"),
            settings=settings,
            reference_digest=experiment.reference_digest,
            points=tuple(readers_point(p, experiment.reference_digest) for p in experiment.passes),
            agree=experiment.agree,
            protocol_held=experiment.protocol_held,
            files=ReadersFiles(table_md=READERS_MD),
        )
        atomic_write_bytes(staging / READERS_MD, table_markdown(run).encode())
        atomic_write_bytes(staging / READERS_JSON, document_bytes(run))
    return final


def load_readers_run(folder: Path) -> ReadersRun:
    path = folder / READERS_JSON
    return decode(ReadersRun, json.loads(path.read_text()), str(path))
