"""The sections of ``report.md`` that a wire run has instead of the in-process ones: the
targets over the wire, the floors' multiples, Python ÷ Rust over the wire, the digest
check, and the latency and CPU plots (``report.write_report`` puts them together)."""

from __future__ import annotations

from collections.abc import Callable

from hotpath_lab import units
from hotpath_lab.reporting import markdown as md
from hotpath_lab.reporting.run_data import RunData
from hotpath_lab.wire.figures import floor_multiple_rows, multiple_text

Image = Callable[[str], str]
"""``image(plot name)``: the Markdown of one plot, or "" when the run has none."""


def wire_sections(data: RunData, image: Image) -> list[str]:
    return [
        _summary(data),
        _floors(data),
        _digest_check(data),
        "## Latency\n\nPercentile spectrum, floors included: each step right adds a nine "
        "(90 %, 99 %, 99.9 % …).\n\n"
        + image("spectrum.png")
        + "\n"
        + image("latency-over-time.png"),
        "## Gateway CPU and memory\n\nEach process sampled from /proc every 100 ms "
        "while the generator drove it (0 = start of the timed session).\n\n"
        + image("cpu-memory.png"),
    ]


def _summary(data: RunData) -> str:
    header = (
        "target", "e2e p50", "e2e p99", "e2e p99.9", "e2e max", "service p99",
        "tick-to-book p99", "offered/s", "achieved/s", "events/frame", "gateway CPU",
        "CPU/order", "peak RSS",
    )  # fmt: skip
    rows = []
    for name in data.targets:
        t = data.target(name)
        w, lat = t.wire, t.latency_ns
        if w is None:
            continue
        g = w.gateway
        rows.append(
            (
                f"**{name}**",
                units.latency(lat.e2e.p50),
                units.latency(lat.e2e.p99),
                units.latency(lat.e2e.p999),
                units.latency(lat.e2e.max),
                units.latency(lat.service.p99),
                units.latency(lat.tick_to_book.p99),
                units.count(w.offered_per_s),
                units.count(w.achieved_per_s),
                f"{w.batch_mean:.1f}",
                units.pct(g.cpu_share, 0),
                units.latency(g.cpu_per_order_ns),
                units.mib(g.peak_rss_bytes),
            )
        )
    text = (
        "## Over the wire\n\nOrder-to-execution (e2e) is from each order's intended send "
        "time to the arrival of the REPORTS frame that answers it; service time from the "
        "moment its frame was written; market data (tick-to-book) likewise. The floors have "
        "no pipeline: `tcp-echo` is the machine's TCP round trip, `zmq-echo` the same "
        "ZeroMQ sockets and runtime as `wire-rust`. *Gateway CPU*: its process's share of a "
        "core during the timed session (a gateway that busy-polls uses all of it whatever "
        "the load); *CPU/order*: that CPU ÷ order requests. Stage latencies are not "
        "observable from outside a gateway (docs/wire.md).\n\n"
    )
    text += md.table(header, rows)
    for pair, r in data.run.ratios.items():
        text += (
            f"\nPython ÷ Rust over the wire ({pair}): e2e p50 {units.ratio(r.e2e_p50)}, "
            f"p99 {units.ratio(r.e2e_p99)}, p99.9 {units.ratio(r.e2e_p999)}, service p99 "
            f"{units.ratio(r.service_p99)}, CPU/order {units.ratio(r.cpu_per_order)}, peak "
            f"RSS {units.ratio(r.peak_rss)}.\n"
        )
    return text


def _floors(data: RunData) -> str:
    rows = [
        (f"**{t}**", f"`{floor}`", *(multiple_text(v) for v in (m.e2e_p50, m.e2e_p99, m.e2e_p999)))
        for t, floor, m in floor_multiple_rows(data.run)
    ]
    if not rows:
        return ""
    return (
        "## Multiples of the floor\n\nEach target's e2e percentile ÷ the floor's, measured in "
        "the same run with the same generator and pacing.\n\n"
        + md.table(("target", "floor", "p50", "p99", "p99.9"), rows, "llrrr")
    )


def _digest_check(data: RunData) -> str:
    wire = data.run.wire
    if wire is None:
        return ""
    ref = wire.reference
    rows = []
    for b, r in data.run.builds.items():
        gateway = wire.gateway_digests.get(b, "")
        ok = r.digest == ref.digest and gateway == ref.digest
        rows.append(
            (
                f"**{b}**",
                f"{r.reports:,}",
                f"`{r.digest[:16]}`",
                f"`{gateway[:16]}`",
                "equal" if ok else "**different**",
                wire.divergences.get(b, ""),
            )
        )
    return (
        "## Digest check\n\nEvery gateway must answer with exactly the reports of the same "
        f"scenario replayed in process (reference: `{ref.build}`, {ref.reports:,} reports, "
        f"`{ref.digest[:16]}`): the generator's digest of the reports it received and the "
        "gateway's own, from its FINISHED summary.\n\n"
        + md.table(
            ("build", "reports", "generator", "gateway", "vs in process", "first difference"),
            rows,
            "lrlll l".replace(" ", ""),
        )
    )


Link = Callable[[str, str | None], str]
"""``link(label, file name)``: a Markdown link to a file of the run folder, or "–"."""


def wire_file_rows(data: RunData, link: Link) -> list[tuple[str, ...]]:
    """One row per target: its generator's files, the gateway's log and CPU samples."""
    rows: list[tuple[str, ...]] = []
    for name in data.targets:
        files = data.target(name).files
        hgrm = " ".join(link(metric, f) for metric, f in sorted(files.hgrm.items()))
        rows.append(
            (
                f"**{name}**",
                link(files.hlog, files.hlog),
                hgrm or "–",
                link("summary", files.wire_json),
                link("reports", files.reports),
                link("cpu", files.cpu_csv),
                link("log", files.gateway_log),
            )
        )
    return rows


def wire_files(data: RunData, link: Link) -> str:
    header = (
        "target", "interval log", "percentiles", "generator", "reports", "CPU / RSS", "gateway",
    )  # fmt: skip
    return (
        "Per target: the generator's interval log (one interval per second, values in ns), "
        "its percentile distributions (`.hgrm`, µs), its summary (`.wire.json`, docs/wire.md), "
        "the reports it received (`.hpr`, gateways only), the gateway process's CPU and RSS "
        "every 100 ms, and its stderr.\n\n"
        + md.table(header, wire_file_rows(data, link), "lllllll")
    )
