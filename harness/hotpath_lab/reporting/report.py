"""``report.md`` for a run folder: environment, summary, plots, GC and tail, profiles, and
what changed since the previous run of the same scenario.

``write_report(folder)`` runs inside ``hotpath bench``'s staging directory, so the report
and its ``plots/`` are part of the atomic run folder. Every link in the report is relative
and points at a file in the folder. ``hotpath results report RUN --out DIR`` renders a
report for an existing run elsewhere (run folders are never modified).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from hotpath_lab import units
from hotpath_lab.atomic import atomic_write_bytes
from hotpath_lab.plots import PLOTS, render_all
from hotpath_lab.plots.breakdown import STAGES, stage_contributions
from hotpath_lab.reporting import markdown as md
from hotpath_lab.reporting.compare import (
    comparable,
    compare_models,
    previous_folder,
    verdict_cells,
    verdicts,
)
from hotpath_lab.reporting.drop_copy import drop_copy_section
from hotpath_lab.reporting.migration import migration_section
from hotpath_lab.reporting.peers import peers_section
from hotpath_lab.reporting.run_data import RunData
from hotpath_lab.reporting.tail import tail_table
from hotpath_lab.reporting.tuning import tuning_section
from hotpath_lab.reporting.wire_report import wire_files, wire_sections
from hotpath_lab.storage import Run, load_run
from hotpath_lab.tables import noise_floor_line

REPORT_NAME = "report.md"
PLOTS_DIR = "plots"


def write_report(
    folder: Path,
    results_root: Path | None = None,
    *,
    out_dir: Path | None = None,
) -> Path:
    """Renders plots and ``report.md`` for the run in ``folder``; returns the report path.

    ``out_dir`` defaults to ``folder`` itself; ``results_root`` (default: two levels up)
    is where the previous run of the scenario is looked for.
    """
    started = time.perf_counter()
    out = out_dir if out_dir is not None else folder
    data = RunData.load(folder)
    plots = render_all(data, out / PLOTS_DIR)
    previous = previous_folder(folder, results_root)
    # data files stay in the run folder; links reach them from wherever the report is
    base = "" if out.resolve() == folder.resolve() else os.path.relpath(folder, out) + "/"
    if data.wire:
        measured = wire_sections(data, lambda name: _img(plots, name))
    else:
        measured = [
            _summary(data),
            _latency(plots),
            _gc_and_tail(data, plots),
            _where_time_goes(data, plots, base),
            _resources(plots),
            migration_section(data, lambda name: _img(plots, name)),
            tuning_section(data),
            peers_section(data),
            drop_copy_section(data),
        ]
    sections = [
        _header(data),
        _environment(data.run),
        *measured,
        _changes(folder, previous),
        _files(data, base, plots),
    ]
    elapsed = time.perf_counter() - started
    text = "\n".join(s for s in sections if s) + (
        f"\n<sub>Report made by hotpath-lab in {elapsed:.1f} s.</sub>\n"
    )
    path = out / REPORT_NAME
    atomic_write_bytes(path, text.encode())
    return path


def _header(data: RunData) -> str:
    run, sc, opts = data.run, data.run.scenario, data.run.options
    if data.wire:
        agree = (
            "every gateway answered with the in-process reports"
            if run.agree
            else "**DIGEST CHECK FAILED: a gateway's reports differ from in process**"
        )
        what = (
            f"over the wire: builds {', '.join(data.builds)}, floors {', '.join(run.floors or {})}"
        )
    else:
        agree = (
            "all builds produced identical reports"
            if run.agree
            else "**BUILDS DISAGREE: their report streams differ**"
        )
        peers = [b for b, r in run.builds.items() if not r.shadow_equal]
        if peers:  # docs/peers.md
            agree += f" ({', '.join(peers)}: a peer, not compared)"
        what = f"builds {', '.join(data.builds)}"
    return (
        f"# {sc.name} — run {run.run_id}\n\n"
        f"{run.created_utc}: {sc.events:,} events ({sc.order_requests:,} order "
        f"requests) over {sc.span_s:.1f} s of scenario time, peak "
        f"{sc.peak_rate_per_s:,.0f} events/s. Pace `{opts.pace}` ×{opts.speed:g}, "
        f"warm-up {opts.warmup:,} events, {what}; {agree}.\n"
    )


def _environment(run: Run) -> str:
    env = run.environment
    git = env.git
    affinity = list(env.cpu_affinity) if env.cpu_affinity else None
    rows = [
        (
            "CPU",
            f"{env.cpu_model}, {env.cpu_count} cores"
            + (f", affinity {affinity}" if affinity else "")
            + (f", governor {env.cpu_governor}" if env.cpu_governor else "")
            + (f", clock source {env.clocksource}" if env.clocksource else ""),
        ),
        ("OS", f"{env.os}, kernel {env.kernel}, {env.machine}"),
        ("Python", f"{env.python} ({env.python_implementation}), numpy {env.numpy}"),
        (
            "Rust",
            f"{env.rustc}; build hotpath_rs {env.hotpath_rs} (`{env.build_profile}`), "
            f"toolkit hotpath_toolkit {env.hotpath_toolkit} (`{env.toolkit_build_profile}`)",
        ),
        ("git", f"`{git.sha}`" + (" (uncommitted changes)" if git.dirty else "")),
        *(
            [("canary", f"**`{env.canary}` on: every build slowed down on purpose**")]
            if env.canary
            else []
        ),
        ("scenario", f"`{run.scenario.path}` sha256 `{run.scenario.sha256[:16]}…`"),
        ("host", env.hostname),
    ]
    if run.wire is not None:
        w = run.wire.settings
        rows.append(
            (
                "wire",
                f"wire-rust `--engine {w.engine} --poll {w.poll}`; gateways bound to "
                f"{w.bind_host}, pinned to CPU {w.gateway_cpu}, hotpath-loadgen to CPU "
                f"{w.loadgen_cpu}; max batch {w.max_batch or 'default'}, window "
                f"{w.window or 'default'}",
            )
        )
    return "## Environment\n\n" + md.table(("", ""), rows, "ll")


def _summary(data: RunData) -> str:
    header = (
        "build", "e2e p50", "e2e p99", "e2e p99.9", "e2e max", "tick-to-book p99",
        "orders/s", "CPU/order", "peak RSS", "GC pauses", "slowest 0.1% in GC",
    )  # fmt: skip
    rows = []
    for b in data.builds:
        r = data.build(b)
        e2e, t2b, tp, gc = r.latency_ns.e2e, r.latency_ns.tick_to_book, r.throughput, r.gc
        if gc is None or r.memory is None:
            continue  # measured over the wire: wire_report
        rows.append(
            (
                f"**{b}**",
                units.latency(e2e.p50),
                units.latency(e2e.p99),
                units.latency(e2e.p999),
                units.latency(e2e.max),
                units.latency(t2b.p99),
                units.count(tp.orders_per_s if tp else None),
                units.latency(tp.cpu_per_order_ns if tp else None),
                units.mib(r.memory.peak_rss_bytes),
                f"{gc.count:,} ({gc.total_ms:.1f} ms)",
                f"{gc.tail_overlap.overlapped}/{gc.tail_overlap.slowest}",
            )
        )
    text = (
        "## Summary\n\nLatency is from each event's intended time (open loop; see "
        "`docs/measurement.md`); throughput and CPU per order from the closed-loop pass.\n\n"
    )
    text += md.table(header, rows)
    if data.run.ratios:
        parts = [
            f"{pair}: e2e p99 {units.ratio(r.e2e_p99)}, service p99 "
            f"{units.ratio(r.service_p99)}, throughput {units.ratio(r.throughput_orders)}, "
            f"CPU/order {units.ratio(r.cpu_per_order)}"
            for pair, r in data.run.ratios.items()
        ]
        text += "\nPython ÷ Rust: " + "; ".join(parts) + ".\n"
    overhead = [
        f"{b} {units.latency(o.latency.p50)}"
        for b in data.builds
        if (o := data.build(b).overhead_ns) is not None
    ]
    if overhead:
        text += "\nDriver overhead (empty pipeline, end-to-end p50): " + ", ".join(overhead) + ".\n"
    return text + _noise_floor(data)


def _noise_floor(data: RunData) -> str:
    """The machine's own interruptions, probed in each worker: where its percentiles stop
    describing the build."""
    lines = [
        f"- {noise_floor_line(b, jitter)}"
        for b in data.builds
        if (jitter := data.build(b).jitter) is not None
    ]
    if not lines:
        return ""
    return (
        "\nMachine noise floor (a thread that only reads the clock, probed in each worker "
        "before its passes; see `docs/measurement.md`):\n\n" + "\n".join(lines) + "\n"
    )


def _img(plots: dict[str, Path], name: str) -> str:
    if name not in plots:
        return ""
    return f"![{PLOTS[name][1]}]({PLOTS_DIR}/{name})\n"


def _latency(plots: dict[str, Path]) -> str:
    return (
        "## Latency\n\nPercentile spectrum: each step right adds a nine (90 %, 99 %, 99.9 % …), "
        "so the tail gets as much room as the median.\n\n"
        + _img(plots, "spectrum.png")
        + "\n"
        + _img(plots, "spectrum-stages.png")
    )


def _gc_and_tail(data: RunData, plots: dict[str, Path]) -> str:
    tail = tail_table(data.folder)
    rows = []
    for _, t in tail.iterrows():
        rows.append(
            (
                f"**{t['build']}**",
                f"{int(t['collections']):,}",
                f"{t['total_pause_ms']:.1f} ms",
                f"{t['max_pause_ms']:.2f} ms",
                t.get("slowest 1% in pause"),
                t.get("slowest 0.1% in pause"),
                t.get("slowest 0.01% in pause"),
                units.latency(t.get("p99_paused_intervals_ns")),
                units.latency(t.get("p99_other_intervals_ns")),
                units.pct(t.get("tail_in_paused_share"), 0),
            )
        )
    header = (
        "build", "collections", "total pause", "longest", "slowest 1% in a pause",
        "slowest 0.1%", "slowest 0.01%", "p99, seconds with GC", "p99, seconds without",
        "tail in seconds with GC",
    )  # fmt: skip
    return (
        "## Latency over time and the garbage collector\n\n"
        + _img(plots, "latency-over-time.png")
        + "\n"
        "*Slowest x% in a pause*: of the slowest order requests, how many were in flight while "
        "a collection ran (exact, from the raw stamps). *Seconds with GC*: one-second "
        "intervals in which a collection started; *tail in seconds with GC*: share of the "
        "orders slower than the run's P99 that fell in those seconds. Rust builds are measured "
        "the same way.\n\n" + md.table(header, rows) + "\n" + _img(plots, "gc-pauses.png")
    )


def _where_time_goes(data: RunData, plots: dict[str, Path], base: str) -> str:
    rows = []
    for b in data.builds:
        parts = stage_contributions(data.build(b).latency_ns)
        if parts:
            rows.append(
                (f"**{b}**", *(units.latency(parts.get(k)) for k in ("queueing", *STAGES, "other")))
            )
    text = (
        "## Where the time goes\n\nMean per order request: queueing (end-to-end − service), "
        "each stage weighted by the share of requests that reach it, and the rest of the "
        "service time (decoding, the call into the build, the driver).\n\n"
    )
    if rows:
        text += md.table(("build", "queueing", *STAGES, "other"), rows) + "\n"
    text += _img(plots, "stage-breakdown.png")
    text += _profiles(data, plots, base)
    return text


def _profiles(data: RunData, plots: dict[str, Path], base: str) -> str:
    section = data.run.profiles
    profiles = data.profiles
    if section is None or (not profiles and not section.errors):
        return (
            "\nNo profile in this run: `hotpath bench … --profile` (or `make profile`) adds "
            "flame graphs and a where-the-time-goes table per build.\n"
        )
    text = (
        "\n### Profiles (py-spy, separate closed-loop pass)\n\n" + _img(plots, "profile.png") + "\n"
    )
    rows = []
    for b, p in profiles.items():
        att = p.attribution
        owners = sorted(att.by_owner.items(), key=lambda kv: -kv[1])[:5]
        top = ", ".join(
            f"{o.removeprefix('engine: ')} {100 * n / att.samples:.0f}%" for o, n in owners
        )
        files = p.files
        rows.append(
            (
                f"**{b}**",
                f"{p.samples:,}",
                units.pct(att.engine_share, 0),
                top,
                units.signed_pct(-p.overhead) if p.overhead is not None else "–",
                {True: "yes", False: "**no**", None: "–"}[p.digest_matches_timed],
                f"[flame graph]({base}{files.flame_svg}) · "
                f"[speedscope]({base}{files.speedscope}) · [folded]({base}{files.folded})",
            )
        )
    text += md.table(
        (
            "build",
            "samples",
            "in engine",
            "largest owners",
            "profiler cost",
            "same output",
            "files",
        ),
        rows,
        "lrrlrll",
    )
    text += (
        "\n*Profiler cost*: events/s of the profiled replays against the same replays run "
        "right after without the profiler (on a busy machine this moves by tens of percent). "
        "*Same output*: the profiled replay produced the timed pass's report digest. Open a "
        "`.speedscope.json` at https://www.speedscope.app for time-ordered and sandwich "
        "views.\n"
    )
    for b, p in profiles.items():
        top_self = p.attribution.top_self[:8]
        if not top_self:
            continue
        text += f"\n<details><summary>{b}: hottest functions (self time)</summary>\n\n"
        text += md.table(
            ("function", "owner", "share"),
            ((f"`{t.function}`", t.category, units.pct(t.share)) for t in top_self),
            "llr",
        )
        text += "\n</details>\n"
    if section.note:
        text += f"\n> {section.note}\n"
    for build, error in section.errors.items():
        text += f"\n> **Profiling {build} failed:** {error.splitlines()[0]}\n"
    return text


def _resources(plots: dict[str, Path]) -> str:
    return (
        "## Throughput, CPU and memory\n\n"
        + _img(plots, "throughput.png")
        + "\n"
        + _img(plots, "cpu-memory.png")
    )


def _changes(folder: Path, previous: Path | None) -> str:
    text = "## Changes since the previous run\n\n"
    if previous is None:
        return text + "No earlier run of this scenario in this results folder.\n"
    before, now = load_run(previous), load_run(folder)
    git = before.environment.git
    text += (
        f"Against run `{before.run_id}` (git `{git.short}`{', dirty' if git.dirty else ''}).\n\n"
    )
    reasons = comparable(now, before)
    if reasons:
        text += "> **Not like for like:** " + "; ".join(reasons) + ".\n\n"
    found = verdicts(folder, previous)
    if found:
        text += (
            "Percentiles with 95% bootstrap intervals from the interval logs, and the change "
            "with the interval of the bootstrap ratio: *higher* or *lower* only when that "
            "interval excludes zero (method in `notebooks/compare_p99.ipynb`).\n\n"
        )
        text += md.table(
            ("build", "metric", "percentile", "previous", "this run", "change", "verdict"),
            (verdict_cells(v) for v in found),
            "lllrrrl",
        )
        text += "\n"
    diff = compare_models(now, before)
    if diff.empty:
        return text + "No build in common with that run.\n"
    rows = []
    for _, r in diff.iterrows():
        mark = "" if r["better"] is None else (" ✓" if r["better"] else " ✗")
        rows.append(
            (
                r["build"],
                r["figure"],
                units.figure(r["previous"], r["unit"]),
                units.figure(r["current"], r["unit"]),
                units.signed_pct(r["change"]) + mark,
            )
        )
    text += "Headline figures (single values, no interval):\n\n"
    text += md.table(("build", "figure", "previous", "this run", "change"), rows, "llrrr")
    return text


def _files(data: RunData, base: str, plots: dict[str, Path]) -> str:
    """Links to every file of the run, grouped by build (relative to the report)."""

    def link(label: str, name: str | None) -> str:
        return f"[{label}]({base}{name})" if name and (data.folder / name).is_file() else "–"

    text = "## Files in this run folder\n\n"
    text += (
        f"{link('run.json', 'run.json')}: every figure of the run, its options and environment. "
    )
    if data.wire:
        text += wire_files(data, link)
    else:
        text += _build_files(data, link)
    text += (
        "\nPlots: "
        + ", ".join(f"[{PLOTS[name][1].lower()}]({PLOTS_DIR}/{name})" for name in plots)
        + ".\n"
    )
    return text


def _build_files(data: RunData, link: Callable[[str, str | None], str]) -> str:
    rows = []
    for b in data.builds:
        files = data.build(b).files
        hgrm = " ".join(link(metric, name) for metric, name in sorted(files.hgrm.items()))
        prof = data.profiles.get(b)
        profile = (
            " ".join(
                (
                    link("flame", prof.files.flame_svg),
                    link("speedscope", prof.files.speedscope),
                    link("folded", prof.files.folded),
                )
            )
            if prof
            else ""
        )
        rows.append(
            (
                f"**{b}**",
                link(files.hlog, files.hlog),
                hgrm or "–",
                link("gc", files.gc_csv),
                link("cpu", files.cpu_csv),
                profile or "–",
            )
        )
    return (
        "Per build: the HdrHistogram interval log (one interval per second per metric), the "
        "percentile distributions (`.hgrm`, values in µs), every GC pause of the timed pass, "
        "CPU and RSS every 100 ms (sampled from the parent process), and the profile files.\n\n"
        + md.table(
            ("build", "interval log", "percentiles", "GC pauses", "CPU / RSS", "profile"),
            rows,
            "llllll",
        )
    )


def write_report_safely(folder: Path, results_root: Path | None = None) -> Path | None:
    """``write_report`` for ``hotpath bench``: a failing plot must not cost the run.

    On any error the run folder still gets a ``report.md`` that says what failed (and
    ``hotpath results report`` can render it again later); the error goes to stderr.
    """
    import sys
    import traceback

    try:
        return write_report(folder, results_root)
    except Exception as exc:
        detail = "".join(traceback.format_exception(exc)[-6:])
        print(f"warning: report.md could not be made: {exc}", file=sys.stderr)
        atomic_write_bytes(
            folder / REPORT_NAME,
            (
                "# Report failed\n\nThe run's data are complete (`run.json` and the histogram "
                "files); making the report failed:\n\n```\n" + detail + "```\n"
            ).encode(),
        )
        return None
