"""Every mode at every concurrency level on one scenario, and the digest check.

The levels go from 1 to the cores available, then one oversubscribed level (by default
2 × cores), never more workers than shards. Within a level the modes run one after the
other, so that a slow drift of the shared machine touches every mode alike. Each shard's
digest must be the same in every mode and equal to a plain single-engine replay of it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hotpath_format import EventFile, report_digest
from hotpath_lab.gil.modes import MODES, ModeRun, run_mode
from hotpath_lab.gil.shards import Shard, deal, split_by_account
from hotpath_lab.storage.latency_model import LatencySummary

PointProgress = Callable[[str, int], None]
"""``(mode, concurrency)`` called before each point is run."""


def available_cores() -> int:
    """CPUs this process may run on (its affinity), not the machine's total."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def concurrency_levels(cores: int, max_concurrency: int, n_shards: int) -> list[int]:
    """``1 … min(cores, N)``, then ``N`` itself, where ``N = max_concurrency`` capped at the
    number of shards (a worker without a shard would measure nothing)."""
    if cores < 1 or max_concurrency < 1 or n_shards < 1:
        raise ValueError("cores, max_concurrency and n_shards must all be at least 1")
    top = min(max_concurrency, n_shards)
    return sorted(set(range(1, min(cores, top) + 1)) | {top})


@dataclass(frozen=True)
class Point:
    """One mode at one level, measured."""

    mode: str
    concurrency: int
    wall_ns: int
    orders: int
    events: int
    order_latency: LatencySummary
    cores_busy: float
    """Process CPU time over elapsed time across the whole mode run (engine set-up
    included): how many cores the workers kept busy. The GIL holds Python threads to 1."""
    mismatched_shards: tuple[int, ...]
    """Accounts whose shard digest differs from the plain replay's."""

    @property
    def orders_per_s(self) -> float:
        return self.orders * 1e9 / max(self.wall_ns, 1)

    @property
    def events_per_s(self) -> float:
        return self.events * 1e9 / max(self.wall_ns, 1)


@dataclass(frozen=True)
class Experiment:
    shards: list[Shard]
    reference: dict[int, str]
    """Plain single-engine replay digest per shard (keyed by account)."""
    levels: list[int]
    points: list[Point]

    @property
    def agree(self) -> bool:
        return not any(p.mismatched_shards for p in self.points)


def reference_digests(scenario: EventFile, shards: Sequence[Shard]) -> dict[int, str]:
    """Each shard through one fresh engine, the plain way (``hotpath_rs.replay``)."""
    import hotpath_rs

    meta_json = scenario.meta.to_json()
    return {s.account: report_digest(hotpath_rs.replay(meta_json, s.records)) for s in shards}


def run_experiment(
    scenario: EventFile,
    *,
    max_concurrency: int,
    modes: Sequence[str] = MODES,
    cores: int | None = None,
    progress: PointProgress | None = None,
) -> Experiment:
    shards = split_by_account(scenario.records, len(scenario.meta.accounts))
    reference = reference_digests(scenario, shards)
    levels = concurrency_levels(cores or available_cores(), max_concurrency, len(shards))
    points = []
    for k in levels:
        workers = [[shards[i] for i in dealt] for dealt in deal(len(shards), k)]
        for mode in modes:
            if progress is not None:
                progress(mode, k)
            cpu0, t0 = time.process_time_ns(), time.perf_counter_ns()
            run = run_mode(mode, scenario.meta, workers)
            busy = (time.process_time_ns() - cpu0) / max(time.perf_counter_ns() - t0, 1)
            points.append(_point(run, busy, shards, reference))
    return Experiment(shards, reference, levels, points)


def _point(
    run: ModeRun, cores_busy: float, shards: Sequence[Shard], reference: dict[int, str]
) -> Point:
    from hotpath_toolkit import summarize_gaps

    mismatched = tuple(a for a, d in sorted(run.digests.items()) if reference[a] != d)
    missing = tuple(s.account for s in shards if s.account not in run.digests)
    return Point(
        mode=run.mode,
        concurrency=run.workers,
        wall_ns=run.wall_ns,
        orders=sum(s.order_requests for s in shards),
        events=sum(s.events for s in shards),
        order_latency=LatencySummary(**summarize_gaps(run.order_end, run.order_start)),
        cores_busy=cores_busy,
        mismatched_shards=tuple(sorted(set(mismatched + missing))),
    )
