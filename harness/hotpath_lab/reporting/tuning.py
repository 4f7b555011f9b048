"""Tuning Python, one switch at a time: the ``python-tuned+...`` builds of one run against
``python``, then where the tuned build still loses to Rust.

A run that measured ``python`` and at least one tuned variant (``make tuned`` runs the
ladder: ``docs/tuned.md``) gets a table of each variant's percentiles, CPU per order and
garbage-collector pauses in the timed pass, with how many times lower than ``python`` its
figures are; then the tuned build (``python-tuned``, else the variant with the lowest e2e
p99) next to ``rust-ffi`` and ``rust-native``, with the parts of the gap the run can show as
figures (collector pauses, CPU per order, memory). Figures come from ``storage.figures``.
"""

from __future__ import annotations

from hotpath_lab import units
from hotpath_lab.reporting import markdown as md
from hotpath_lab.reporting.run_data import RunData
from hotpath_lab.storage.figures import FIGURE

BASE = "python"
TUNED = "python-tuned"
RUST = ("rust-ffi", "rust-native")
NO_SWITCH = "none"

LATENCIES: tuple[tuple[str, str], ...] = (
    ("e2e_p50", "e2e p50"),
    ("e2e_p99", "e2e p99"),
    ("e2e_p999", "e2e p99.9"),
    ("cpu_per_order", "CPU/order"),
)
"""The figures each switch is judged by (lower is better), in table order."""


def switches_of(build: str) -> tuple[str, ...] | None:
    """The switches a tuned build's name lists (``()`` for ``+none``, ``("default",)`` for
    ``python-tuned`` itself); ``None`` for a build that is not a tuned variant."""
    if build == TUNED:
        return ("default",)
    if not build.startswith(TUNED + "+"):
        return None
    options = build[len(TUNED) + 1 :]
    return () if options == NO_SWITCH else tuple(options.split("+"))


def variants_in(data: RunData) -> list[str]:
    """The tuned variants of the run: ``+none`` first, then by how many switches they hold
    (single switches in ``--builds`` order), ``python-tuned`` last."""
    tuned = [b for b in data.builds if switches_of(b) is not None]

    def rank(build: str) -> tuple[int, int]:
        switches = switches_of(build) or ()
        return (1_000 if switches == ("default",) else len(switches), tuned.index(build))

    return sorted(tuned, key=rank)


def figure(data: RunData, build: str, key: str) -> float | None:
    return FIGURE[key].of(data.build(build))


def times_lower(base: float | None, value: float | None) -> float | None:
    """``base ÷ value``: > 1 when ``value`` is lower than ``base``."""
    if base is None or value is None or value <= 0:
        return None
    return base / value


def fine_ratio(value: float | None) -> str:
    """Two decimals: a switch often moves a figure by a few percent."""
    return units.MISSING if value is None else f"{value:.2f}×"


def tuning_section(data: RunData) -> str:
    """The "Tuning Python, one switch at a time" section, or "" when the run lacks
    ``python`` or every tuned variant."""
    variants = variants_in(data)
    if BASE not in data.builds or not variants:
        return ""
    text = (
        "## Tuning Python, one switch at a time\n\n"
        "The Python build, and the same engine with one tuning switched on at a time, then "
        "with them together (`python-tuned`; what each switch does and why: "
        "`docs/tuned.md`). Every variant gave the same report digest as `python`. "
        '"× python": how many times lower than `python`\'s each figure is (> 1: the switch '
        "helped). GC: the timed pass's collections, scheduled ones included. "
        "Allocations per order are the deterministic gate's figure "
        "(`hotpath gate --tier det --builds python,python-tuned`).\n\n"
    )
    text += _switch_table(data, variants)
    text += "\n" + _against_rust(data, variants)
    return text


def _switch_table(data: RunData, variants: list[str]) -> str:
    header = (
        "build",
        "switches",
        *(label for _, label in LATENCIES),
        "GC count",
        "GC total",
        "GC max",
        *(f"{label} × python" for _, label in LATENCIES),
    )
    rows = []
    for build in [BASE, *variants]:
        values = [figure(data, build, key) for key, _ in LATENCIES]
        gc = data.build(build).gc
        switches = switches_of(build)
        label = "—" if switches is None else ("+".join(switches) or NO_SWITCH)
        ratios = (
            ["—"] * len(LATENCIES)
            if build == BASE
            else [
                fine_ratio(times_lower(figure(data, BASE, key), v))
                for (key, _), v in zip(LATENCIES, values, strict=True)
            ]
        )
        rows.append(
            (
                f"`{build}`",
                label,
                *(units.latency(v) for v in values),
                units.count(gc.count) if gc else None,
                units.milliseconds(gc.total_ms) if gc else None,
                units.milliseconds(gc.max_ms) if gc else None,
                *ratios,
            )
        )
    return md.table(header, rows, "ll" + "r" * (len(header) - 2))


def best_tuned(data: RunData, variants: list[str]) -> str:
    """``python-tuned`` if the run has it, else the variant with the lowest e2e p99."""
    if TUNED in variants:
        return TUNED

    def p99(build: str) -> float:
        value = figure(data, build, "e2e_p99")
        return float("inf") if value is None else value

    return min(variants, key=p99)


def _against_rust(data: RunData, variants: list[str]) -> str:
    tuned = best_tuned(data, variants)
    rust = [r for r in RUST if r in data.builds]
    if not rust:
        return (
            f"No Rust build in this run: run `rust-ffi` and `rust-native` alongside to see "
            f"where `{tuned}` still loses.\n"
        )
    text = f"### Where `{tuned}` still loses to Rust\n\n"
    header = ("figure", f"`{tuned}`", *(f"`{r}`" for r in rust), *(f"÷ `{r}`" for r in rust))
    # "÷ rust": how many times the tuned build's figure is Rust's (> 1: the tuned build loses)
    keys = (*LATENCIES, ("gc_total_ms", "GC total"), ("engine_memory", "engine memory"))
    rows = []
    for key, label in keys:
        fig = FIGURE[key]
        mine = fig.of(data.build(tuned))
        theirs = [fig.of(data.build(r)) for r in rust]
        rows.append(
            (
                label,
                units.figure(mine, fig.unit),
                *(units.figure(v, fig.unit) for v in theirs),
                *(units.ratio(times_lower(mine, v)) for v in theirs),
            )
        )
    text += md.table(header, rows)
    text += (
        f"\n\"÷ rust\": how many times `{tuned}`'s figure is the Rust build's (> 1: the tuned "
        "build still loses there). What the gap is made of, as far as this run measured it:\n\n"
    )
    return text + "\n".join(_why(data, tuned, rust)) + "\n"


def _why(data: RunData, tuned: str, rust: list[str]) -> list[str]:
    """The gap taken apart into what the run measured, one bullet per cause."""
    lines = []
    result = data.build(tuned)
    gc = result.gc
    cpu = figure(data, tuned, "cpu_per_order")
    if gc is not None:
        overlap = gc.tail_overlap
        lines.append(
            f"- **GC**: {units.count(gc.count)} collections, {units.milliseconds(gc.total_ms)} "
            f"in all, the longest {units.milliseconds(gc.max_ms)}; "
            f"{overlap.overlapped} of the slowest {overlap.slowest} order requests "
            f"({units.pct(overlap.share)}) overlapped one. The Rust builds have none."
        )
    ffi_cpu = figure(data, "rust-ffi", "cpu_per_order") if "rust-ffi" in rust else None
    if cpu is not None and ffi_cpu is not None:
        lines.append(
            f"- **Interpreter**: `rust-ffi` runs under the same Python loop and decoding, so "
            f"the CPU per order between them ({units.latency(cpu)} vs "
            f"{units.latency(ffi_cpu)}, {units.latency(cpu - ffi_cpu)} more) is the engine "
            "running as bytecode: calls, attribute lookups, boxed integers."
        )
    native_cpu = figure(data, "rust-native", "cpu_per_order") if "rust-native" in rust else None
    if ffi_cpu is not None and native_cpu is not None:
        lines.append(
            f"- **The Python loop itself**: `rust-native` drops it too "
            f"({units.latency(native_cpu)} CPU per order against `rust-ffi`'s "
            f"{units.latency(ffi_cpu)}): no tuning of the engine removes that part."
        )
    memory = figure(data, tuned, "engine_memory")
    rust_memory = [figure(data, r, "engine_memory") for r in rust]
    known = [m for m in rust_memory if m]
    if memory is not None and known:
        lines.append(
            f"- **Allocation**: the tuned engine holds {units.mib(memory)} after the session, "
            f"the Rust engine {units.mib(min(known))} (sized up front from the order count; "
            "Python grows an object at a time: every order, level and id is a heap object, "
            "counted per order by the deterministic gate)."
        )
    return lines
