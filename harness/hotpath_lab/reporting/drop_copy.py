"""The drop-copy section of a run with ``--drop-copy`` (docs/dropcopy.md): each build's
hot path with the drop-copy off and on, in one run, with the interval of the change; and
what reached Redis. A run without drop-copy rows gets no section."""

from __future__ import annotations

from hotpath_lab import units
from hotpath_lab.options import DROP_COPY_ROW
from hotpath_lab.reporting import markdown as md
from hotpath_lab.reporting.compare import COMPARED_QUANTILES, verdict_cells, verdicts_of
from hotpath_lab.reporting.run_data import RunData
from hotpath_lab.storage.run_model import BuildResult

PUBLISH_COLUMNS = (
    "row", "produced", "in Redis", "exactly once", "positions", "reconnects", "refused dup.",
    "backfilled", "lost on server", "unpublished", "max lag", "outage", "restart",
)  # fmt: skip


def drop_copy_pairs(data: RunData) -> list[tuple[str, str]]:
    """``(build, build@drop-copy)`` for every build measured both ways, in run order."""
    return [
        (b[: -len(DROP_COPY_ROW)], b)
        for b in data.builds
        if b.endswith(DROP_COPY_ROW) and b[: -len(DROP_COPY_ROW)] in data.run.builds
    ]


def drop_copy_section(data: RunData) -> str:
    pairs = drop_copy_pairs(data)
    if not pairs:
        return ""
    off = {b: data.intervals[b] for b, on in pairs if b in data.intervals and on in data.intervals}
    on = {b: data.intervals[row] for b, row in pairs if b in off}
    latency_rows = [verdict_cells(v) for v in verdicts_of(on, off, metrics=("e2e",))]
    cost_rows = [_cost_row(b, data.build(b), data.build(row)) for b, row in pairs]
    publish_rows = [_publish_row(row, data.build(row)) for _, row in pairs]
    quantiles = ", ".join(f"P{q * 100:g}" for q in COMPARED_QUANTILES)
    return (
        "## Drop-copy to Redis\n\n"
        "Each build ran twice in this run: as itself, and publishing every execution report "
        "and a position snapshot every "
        f"{data.run.options.snapshot_every:,} reports to Redis Streams off its hot path "
        f"(`<build>{DROP_COPY_ROW}`; docs/dropcopy.md). End-to-end {quantiles} off → on, each "
        "with its bootstrap interval from the interval logs; *no clear change* means the "
        "interval of the change includes zero. Off and on are two processes, and that "
        "interval resamples seconds within each: a process's own placement can move a P50 "
        "by tens of percent on a shared 2-core machine, so a few percent here is not yet "
        "the drop-copy's cost (`make dropcopy-repeat` pairs several runs).\n\n"
        + md.table(
            ["build", "metric", "pct", "off", "on", "change", "verdict"],
            latency_rows,
            "lllrrrl",
        )
        + "\nCPU per order in the timed pass (the process's, publisher thread included, less "
        "the driver's busy-polling between events) and peak resident memory:\n\n"
        + md.table(
            ["build", "CPU/order off", "CPU/order on", "peak RSS off", "peak RSS on"], cost_rows
        )
        + "\nWhat reached Redis: the publisher's count, then the harness reading the streams "
        "back (exactly once: contiguous from seq 1, no duplicate, no gap, the records hash to "
        "the row's digest, the last position snapshot equals the fold of its reports).\n\n"
        + md.table(PUBLISH_COLUMNS, publish_rows)
    )


def _cpu_per_order(b: BuildResult) -> float | None:
    """The timed pass's CPU per order request, without the driver's busy-polling for events
    to fall due (``worker.busy_share``'s rule): the build's, publisher included."""
    t = b.timed_pass
    if t is None or not b.order_requests:
        return None
    return t.busy_cpu_utilisation * t.wall_s * 1e9 / b.order_requests


def _cost_row(name: str, off: BuildResult, on: BuildResult) -> list[object]:
    return [
        f"`{name}`",
        units.latency(_cpu_per_order(off)),
        units.latency(_cpu_per_order(on)),
        units.mib(off.memory.peak_rss_bytes if off.memory else None),
        units.mib(on.memory.peak_rss_bytes if on.memory else None),
    ]


def _publish_row(row: str, b: BuildResult) -> list[object]:
    dc = b.drop_copy
    if dc is None:
        return [f"`{row}`", *(["—"] * 12)]
    p, c = dc.publisher, dc.check
    restart = (
        "—"
        if dc.restart is None
        else f"at {dc.restart.at_event / max(1, dc.restart.events):.0%}, "
        f"down {units.milliseconds(dc.restart.down_s * 1e3)}"
    )
    return [
        f"`{row}`",
        units.count(p.produced),
        units.count(c.published),
        "yes" if c.exactly_once else "**no**",
        "match" if c.positions_match else "**differ**",
        p.reconnects,
        p.refused_duplicates,
        units.count(p.backfilled),
        units.count(p.lost_on_server),
        units.count(p.unpublished),
        units.count(p.max_lag),
        f"{p.outage_s:.2f} s",
        restart,
    ]
