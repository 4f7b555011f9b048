"""Latency summaries of ``run.json``: one HDR summary per metric, shared by the in-process
builds (``run_model``) and the wire targets (``wire_model``). Field meanings are in
``docs/results.md``; latencies are integers in ns."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from hotpath_lab.storage.codec import doc


@dataclass(frozen=True, kw_only=True)
class LatencySummary:
    """One HdrHistogram (1 ns – 1 h, 3 significant digits) summarised, in ns. The
    percentiles are the Rust ``hdrhistogram`` crate's: the highest value equivalent to the
    first bucket where the running count reaches ⌈q × count⌉. All zero when count is 0."""

    count: int
    min: int
    p50: int
    p90: int
    p99: int
    p999: int
    p9999: int
    max: int
    mean: float


@dataclass(frozen=True, kw_only=True)
class Latencies:
    """``latency_ns``: one summary per metric (docs/measurement.md defines each). Over the
    wire the stages are not observable from outside the gateway: ``validation``, ``risk``
    and ``execution`` then have count 0 (all zero)."""

    e2e: LatencySummary = field(
        metadata=doc("order requests, from intended time to the last report")
    )
    service: LatencySummary = field(
        metadata=doc("order requests, from actual start to the last report")
    )
    validation: LatencySummary
    risk: LatencySummary
    execution: LatencySummary
    tick_to_book: LatencySummary = field(
        metadata=doc("market data, from intended time to book updated")
    )

    def of(self, metric: str) -> LatencySummary:
        """The summary of ``metric`` (one of ``METRICS``)."""
        if metric not in METRICS:
            raise KeyError(f"unknown metric {metric!r}: one of {', '.join(METRICS)}")
        summary: LatencySummary = getattr(self, metric)
        return summary


METRICS: tuple[str, ...] = tuple(f.name for f in fields(Latencies))
"""Every latency metric of a run, in the order tables show them."""
