"""Named figures of one build's results: what ratios and run comparisons are made of.

A figure knows how to read itself from a ``BuildResult`` (``None`` when its section is
absent: no throughput pass, no noise probe), its unit, and which direction is better. The
``python/<build>`` ratios of ``run.json`` and the comparison of two runs both read figures
from here, so "e2e p99" or "CPU per order" means the same number everywhere.

A build measured over the wire has no closed-loop pass, no worker and no GC record: its
CPU figures are its gateway process's during the timed session (at the offered pace, so a
gateway that spins burns its core whatever the load) and its peak RSS is the gateway's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Literal

from hotpath_lab.storage.run_model import BuildResult, Ratios

Unit = Literal["ns", "per_s", "bytes", "ms", "share"]


@dataclass(frozen=True)
class Figure:
    key: str
    """Stable name (the key in ``run.json``'s ratios where there is one)."""
    label: str
    unit: Unit
    lower_is_better: bool
    read: Callable[[BuildResult], float | None]

    def of(self, build: BuildResult) -> float | None:
        return self.read(build)


FIGURES: tuple[Figure, ...] = (
    Figure("e2e_p50", "e2e p50", "ns", True, lambda b: b.latency_ns.e2e.p50),
    Figure("e2e_p99", "e2e p99", "ns", True, lambda b: b.latency_ns.e2e.p99),
    Figure("e2e_p999", "e2e p99.9", "ns", True, lambda b: b.latency_ns.e2e.p999),
    Figure("e2e_max", "e2e max", "ns", True, lambda b: b.latency_ns.e2e.max),
    Figure("service_p99", "service p99", "ns", True, lambda b: b.latency_ns.service.p99),
    Figure(
        "tick_to_book_p99", "tick-to-book p99", "ns", True, lambda b: b.latency_ns.tick_to_book.p99
    ),
    Figure(
        "throughput_orders",
        "orders/s",
        "per_s",
        False,
        lambda b: b.throughput.orders_per_s if b.throughput else None,
    ),
    Figure("cpu_per_order", "CPU per order", "ns", True, lambda b: _cpu_per_order(b)),
    Figure("cpu_share", "CPU share of a core", "share", True, lambda b: _cpu_share(b)),
    Figure(
        "achieved_per_s",
        "events/s achieved",
        "per_s",
        False,
        lambda b: b.wire.achieved_per_s if b.wire else None,
    ),
    Figure("peak_rss", "peak RSS", "bytes", True, lambda b: _peak_rss(b)),
    Figure(
        "engine_memory",
        "engine memory",
        "bytes",
        True,
        lambda b: b.memory.engine_rss_bytes if b.memory else None,
    ),
    Figure("gc_total_ms", "GC total ms", "ms", True, lambda b: b.gc.total_ms if b.gc else None),
    Figure(
        "machine_noise",
        "machine noise",
        "share",
        True,
        lambda b: None if b.jitter is None else b.jitter.stolen_share,
    ),
)
FIGURE: dict[str, Figure] = {f.key: f for f in FIGURES}


def _cpu_per_order(b: BuildResult) -> float | None:
    """In process: the closed-loop pass's; over the wire: the gateway's in the session."""
    if b.throughput is not None:
        return b.throughput.cpu_per_order_ns
    return b.wire.gateway.cpu_per_order_ns if b.wire else None


def _cpu_share(b: BuildResult) -> float | None:
    """In process: the worker's busy share of a core in the timed pass (the driver's polling
    excluded); over the wire: the gateway process's share during the timed session."""
    if b.timed_pass is not None:
        return b.timed_pass.busy_cpu_utilisation
    return b.wire.gateway.cpu_share if b.wire else None


def _peak_rss(b: BuildResult) -> float | None:
    if b.memory is not None:
        return b.memory.peak_rss_bytes
    return b.wire.gateway.peak_rss_bytes if b.wire else None


def ratio(figure: Figure, python: BuildResult, other: BuildResult) -> float | None:
    """How many times slower (or bigger) ``python`` is than ``other`` by ``figure``: Python ÷
    other where lower is better, other ÷ Python where higher is (throughput). ``None`` when
    a figure is missing or the divisor is zero."""
    x, y = figure.of(python), figure.of(other)
    num, den = (x, y) if figure.lower_is_better else (y, x)
    return num / den if num is not None and den else None


def python_ratios(python: BuildResult, other: BuildResult) -> Ratios:
    """``run.json``'s ``ratios."python/<build>"``: every field of ``Ratios`` is a figure."""
    return Ratios(**{f.name: ratio(FIGURE[f.name], python, other) for f in fields(Ratios)})
