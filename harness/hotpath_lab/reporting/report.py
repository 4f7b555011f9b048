"""``report.md`` for a run folder: environment, summary, plots, GC and tail, profiles, and
what changed since the previous run of the same scenario.

``write_report(folder)`` runs inside ``hotpath bench``'s staging directory, so the report
and its ``plots/`` are part of the atomic run folder. Every link in the report is relative
and points at a file in the folder. ``python -m hotpath_lab.reporting RUN --out DIR``
renders a report for an existing run elsewhere (run folders are never modified).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from hotpath_lab.atomic import atomic_write_bytes
from hotpath_lab.plots import PLOTS, render_all
from hotpath_lab.plots.breakdown import STAGES, stage_contributions
from hotpath_lab.reporting import markdown as md
from hotpath_lab.reporting.compare import (
    comparable,
    compare_runs,
    p99_verdicts,
    previous_folder,
)
from hotpath_lab.reporting.run_data import RunData
from hotpath_lab.reporting.tail import tail_table
from hotpath_lab.storage import load_run
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
    sections = [
        _header(data),
        _environment(data.run),
        _summary(data),
        _latency(plots),
        _gc_and_tail(data, plots),
        _where_time_goes(data, plots, base),
        _resources(plots),
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
    run, sc, opts = data.run, data.run["scenario"], data.run["options"]
    agree = (
        "all builds produced identical reports"
        if run.get("agree")
        else "**BUILDS DISAGREE: their report streams differ**"
    )
    return (
        f"# {sc['name']} — run {run['run_id']}\n\n"
        f"{run['created_utc']}: {sc['events']:,} events ({sc['order_requests']:,} order "
        f"requests) over {sc['span_s']:.1f} s of scenario time, peak "
        f"{sc['peak_rate_per_s']:,} events/s. Pace `{opts['pace']}` ×{opts['speed']:g}, "
        f"warm-up {opts['warmup']:,} events, builds {', '.join(data.builds)}; {agree}.\n"
    )


def _environment(run: dict[str, Any]) -> str:
    env = run["environment"]
    git = env["git"]
    affinity = env.get("cpu_affinity")
    rows = [
        (
            "CPU",
            f"{env.get('cpu_model')}, {env.get('cpu_count')} cores"
            + (f", affinity {affinity}" if affinity else "")
            + (f", governor {env['cpu_governor']}" if env.get("cpu_governor") else "")
            + (f", clock source {env['clocksource']}" if env.get("clocksource") else ""),
        ),
        ("OS", f"{env.get('os')}, kernel {env.get('kernel')}, {env.get('machine')}"),
        (
            "Python",
            f"{env.get('python')} ({env.get('python_implementation')}), numpy {env.get('numpy')}",
        ),
        (
            "Rust",
            f"{env.get('rustc')}; extension hotpath_rs {env.get('hotpath_rs')} "
            f"built `{env.get('build_profile')}`",
        ),
        ("git", f"`{git.get('sha')}`" + (" (uncommitted changes)" if git.get("dirty") else "")),
        ("scenario", f"`{run['scenario']['path']}` sha256 `{run['scenario']['sha256'][:16]}…`"),
        ("host", str(env.get("hostname"))),
    ]
    return "## Environment\n\n" + md.table(("", ""), rows, "ll")


def _summary(data: RunData) -> str:
    header = (
        "build", "e2e p50", "e2e p99", "e2e p99.9", "e2e max", "tick-to-book p99",
        "orders/s", "CPU/order", "peak RSS", "GC pauses", "slowest 0.1% in GC",
    )  # fmt: skip
    rows = []
    for b in data.builds:
        r = data.build(b)
        lat = r.get("latency_ns", {})
        e2e, t2b = lat.get("e2e", {}), lat.get("tick_to_book", {})
        tp = r.get("throughput") or {}
        gc = r.get("gc", {})
        tail = gc.get("tail_overlap", {})
        rows.append(
            (
                f"**{b}**",
                md.ns(e2e.get("p50")),
                md.ns(e2e.get("p99")),
                md.ns(e2e.get("p999")),
                md.ns(e2e.get("max")),
                md.ns(t2b.get("p99")),
                md.count(tp.get("orders_per_s")),
                md.ns(tp.get("cpu_per_order_ns")),
                md.mib(r.get("memory", {}).get("peak_rss_bytes")),
                f"{gc.get('count', 0):,} ({gc.get('total_ms', 0.0):.1f} ms)",
                f"{tail.get('overlapped', 0)}/{tail.get('slowest', 0)}",
            )
        )
    text = (
        "## Summary\n\nLatency is from each event's intended time (open loop; see "
        "`docs/measurement.md`); throughput and CPU per order from the closed-loop pass.\n\n"
    )
    text += md.table(header, rows)
    ratios = data.run.get("ratios", {})
    if ratios:
        parts = []
        for pair, r in ratios.items():
            parts.append(
                f"{pair}: e2e p99 {md.ratio(r.get('e2e_p99'))}, service p99 "
                f"{md.ratio(r.get('service_p99'))}, throughput "
                f"{md.ratio(r.get('throughput_orders'))}, "
                f"CPU/order {md.ratio(r.get('cpu_per_order'))}"
            )
        text += "\nPython ÷ Rust: " + "; ".join(parts) + ".\n"
    overhead = [
        f"{b} {md.ns(data.build(b)['overhead_ns']['latency'].get('p50'))}"
        for b in data.builds
        if data.build(b).get("overhead_ns", {}).get("latency")
    ]
    if overhead:
        text += "\nDriver overhead (empty pipeline, end-to-end p50): " + ", ".join(overhead) + ".\n"
    return text + _noise_floor(data)


def _noise_floor(data: RunData) -> str:
    """The machine's own interruptions, probed in each worker: where its percentiles stop
    describing the build."""
    lines = [
        f"- {noise_floor_line(b, data.build(b)['jitter'])}"
        for b in data.builds
        if "jitter" in data.build(b)
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
                md.ns(t.get("p99_paused_intervals_ns")),
                md.ns(t.get("p99_other_intervals_ns")),
                md.pct(t.get("tail_in_paused_share"), 0),
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
        parts = stage_contributions(data.build(b).get("latency_ns", {}))
        if parts:
            rows.append(
                (f"**{b}**", *(md.ns(parts.get(k)) for k in ("queueing", *STAGES, "other")))
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
    profiles = data.profiles
    if not profiles and not data.run.get("profiles", {}).get("errors"):
        return (
            "\nNo profile in this run: `hotpath bench … --profile` (or `make profile`) adds "
            "flame graphs and a where-the-time-goes table per build.\n"
        )
    text = (
        "\n### Profiles (py-spy, separate closed-loop pass)\n\n" + _img(plots, "profile.png") + "\n"
    )
    rows = []
    for b, p in profiles.items():
        att = p["attribution"]
        owners = sorted(att["by_owner"].items(), key=lambda kv: -kv[1])[:5]
        top = ", ".join(
            f"{o.removeprefix('engine: ')} {100 * n / att['samples']:.0f}%" for o, n in owners
        )
        files = p["files"]
        rows.append(
            (
                f"**{b}**",
                f"{p['samples']:,}",
                md.pct(att.get("engine_share"), 0),
                top,
                md.signed_pct(-p["overhead"]) if p.get("overhead") is not None else "–",
                {True: "yes", False: "**no**", None: "–"}[p.get("digest_matches_timed")],
                f"[flame graph]({base}{files['flame_svg']}) · "
                f"[speedscope]({base}{files['speedscope']}) · [folded]({base}{files['folded']})",
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
        top = p["attribution"]["top_self"][:8]
        if not top:
            continue
        text += f"\n<details><summary>{b}: hottest functions (self time)</summary>\n\n"
        text += md.table(
            ("function", "owner", "share"),
            ((f"`{t['function']}`", t["category"], md.pct(t["share"])) for t in top),
            "llr",
        )
        text += "\n</details>\n"
    note = data.run.get("profiles", {}).get("note")
    if note:
        text += f"\n> {note}\n"
    for build, error in data.run.get("profiles", {}).get("errors", {}).items():
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
    text += (
        f"Against run `{before['run_id']}` (git `{before['environment']['git']['short']}`"
        f"{', dirty' if before['environment']['git'].get('dirty') else ''}).\n\n"
    )
    reasons = comparable(now, before)
    if reasons:
        text += "> **Not like for like:** " + "; ".join(reasons) + ".\n\n"
    diff = compare_runs(folder, previous)
    if diff.empty:
        return text + "No build in common with that run.\n"
    rows = []
    for _, r in diff.iterrows():
        fmt = _formatter(str(r["figure"]))
        mark = "" if r["better"] is None else (" ✓" if r["better"] else " ✗")
        rows.append(
            (
                r["build"],
                r["figure"],
                fmt(r["previous"]),
                fmt(r["current"]),
                md.signed_pct(r["change"]) + mark,
            )
        )
    text += md.table(("build", "figure", "previous", "this run", "change"), rows, "llrrr")
    verdicts = p99_verdicts(folder, previous)
    if verdicts:
        text += (
            "\nEnd-to-end P99 with 95% bootstrap intervals (method in "
            "`notebooks/compare_p99.ipynb`):\n\n"
        )
        text += md.table(
            ("build", "previous", "this run", "verdict"),
            (
                (
                    v.build,
                    f"{md.ns(v.previous.estimate)} [{md.ns(v.previous.low)}, "
                    f"{md.ns(v.previous.high)}]",
                    f"{md.ns(v.current.estimate)} [{md.ns(v.current.low)}, "
                    f"{md.ns(v.current.high)}]",
                    v.verdict,
                )
                for v in verdicts
            ),
            "lrrl",
        )
    return text


def _formatter(figure: str) -> Any:
    if figure == "orders/s":
        return md.count
    if figure == "peak RSS":
        return md.mib
    if figure == "GC total ms":
        return lambda v: f"{v:.1f} ms"
    if figure == "machine noise":
        return lambda v: f"{100 * v:.2f}% of time"
    return md.ns


def _files(data: RunData, base: str, plots: dict[str, Path]) -> str:
    """Links to every file of the run, grouped by build (relative to the report)."""

    def link(label: str, name: str) -> str:
        return f"[{label}]({base}{name})" if (data.folder / name).is_file() else "–"

    rows = []
    for b in data.builds:
        files = data.build(b).get("files", {})
        hgrm = " ".join(
            link(metric, name) for metric, name in sorted(files.get("hgrm", {}).items())
        )
        prof = data.profiles.get(b, {}).get("files", {})
        profile = " ".join(
            link(label, prof[key])
            for key, label in (
                ("flame_svg", "flame"),
                ("speedscope", "speedscope"),
                ("folded", "folded"),
            )
            if key in prof
        )
        rows.append(
            (
                f"**{b}**",
                link(files.get("hlog", f"{b}.hlog"), files.get("hlog", f"{b}.hlog")),
                hgrm or "–",
                link("gc", files.get("gc_csv", f"gc-{b}.csv")),
                link("cpu", files.get("cpu_csv", f"cpu-{b}.csv")),
                profile or "–",
            )
        )
    text = "## Files in this run folder\n\n"
    text += (
        f"{link('run.json', 'run.json')}: every figure of the run, its options and environment. "
        "Per build: the HdrHistogram interval log (one interval per second per metric), the "
        "percentile distributions (`.hgrm`, values in µs), every GC pause of the timed pass, "
        "CPU and RSS every 100 ms (sampled from the parent process), and the profile files.\n\n"
    )
    text += md.table(
        ("build", "interval log", "percentiles", "GC pauses", "CPU / RSS", "profile"),
        rows,
        "llllll",
    )
    text += (
        "\nPlots: "
        + ", ".join(f"[{PLOTS[name][1].lower()}]({PLOTS_DIR}/{name})" for name in plots)
        + ".\n"
    )
    return text


def write_report_safely(folder: Path, results_root: Path | None = None) -> Path | None:
    """``write_report`` for ``hotpath bench``: a failing plot must not cost the run.

    On any error the run folder still gets a ``report.md`` that says what failed (and
    ``python -m hotpath_lab.reporting`` can render it again later); the error goes to stderr.
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
