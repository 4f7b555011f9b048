"""The migration path: the builds of one run taken as phases, python → … → rust-native.

A run that measured two or more of the phases (``hotpath bench --builds
python,hybrid-risk,hybrid-risk-exec,rust-ffi,rust-native``) gets a table of each phase's
figures and what each step bought over the phase before it, and a step chart
(``plots/migration.py``). Figures come from ``storage.figures``, so they are the summary's.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from hotpath_lab import units
from hotpath_lab.reporting import markdown as md
from hotpath_lab.reporting.run_data import RunData
from hotpath_lab.storage.figures import FIGURE


@dataclass(frozen=True)
class Phase:
    build: str
    label: str
    moved: str
    """What this phase moved to Rust, over the phase before it."""


PHASES: tuple[Phase, ...] = (
    Phase("python", "0 · Python", "(all Python: asyncio service, every stage and its state)"),
    Phase("hybrid-risk", "1 · Rust risk", "pre-trade risk and the risk ledger → the Rust desk"),
    Phase(
        "hybrid-risk-exec",
        "2 · Rust risk + execution",
        "execution, books, orders, ids → the Rust engine; Python keeps static validation",
    ),
    Phase("rust-ffi", "3 · rust-ffi", "validation → Rust: the Python loop calls Rust per event"),
    Phase("rust-native", "4 · rust-native", "the loop → Rust: no Python on the path"),
)

COLUMNS: tuple[tuple[str, str, Callable[[float | None], str]], ...] = (
    ("e2e_p50", "e2e p50", units.latency),
    ("e2e_p99", "e2e p99", units.latency),
    ("e2e_p999", "e2e p99.9", units.latency),
    ("cpu_per_order", "CPU/order", units.latency),
    ("peak_rss", "peak RSS", units.mib),
)
"""The figures a phase is judged by, in table order."""


def phases_in(data: RunData) -> list[Phase]:
    """The phases this run measured, in migration order (not ``--builds`` order)."""
    measured = set(data.builds)
    return [p for p in PHASES if p.build in measured]


def figure(data: RunData, build: str, key: str) -> float | None:
    return FIGURE[key].of(data.build(build))


def step_ratio(before: float | None, after: float | None) -> float | None:
    """How many times smaller ``after`` is than ``before`` (> 1: the step helped)."""
    if before is None or after is None or after <= 0:
        return None
    return before / after


def migration_section(data: RunData, img: Callable[[str], str]) -> str:
    """The "Migration path" section, or "" when the run holds fewer than two phases."""
    phases = phases_in(data)
    if len(phases) < 2:
        return ""
    header = ("phase", "build", "moved to Rust", *(label for _, label, _ in COLUMNS), "step bought")
    rows = []
    for i, p in enumerate(phases):
        values = [figure(data, p.build, key) for key, _, _ in COLUMNS]
        bought = "—"
        if i:
            prev = phases[i - 1].build
            p99 = step_ratio(figure(data, prev, "e2e_p99"), values[1])
            cpu = step_ratio(figure(data, prev, "cpu_per_order"), values[3])
            bought = f"p99 {units.ratio(p99)}, CPU {units.ratio(cpu)}"
        rows.append(
            (
                p.label,
                f"`{p.build}`",
                p.moved,
                *(fmt(v) for (_, _, fmt), v in zip(COLUMNS, values, strict=True)),
                bought,
            )
        )
    first, last = phases[0].build, phases[-1].build
    totals = ", ".join(
        f"{label} {units.ratio(step_ratio(figure(data, first, key), figure(data, last, key)))}"
        for key, label, _ in COLUMNS[:4]
    )
    text = (
        "## Migration path\n\n"
        "The builds of this run as the phases of a migration from Python to Rust "
        "(`docs/migration.md`: who owns which state in each, what crosses the FFI). "
        '"Step bought": how many times lower the phase\'s e2e p99 and CPU per order are '
        "than the phase before it.\n\n"
    )
    text += md.table(header, rows, "lll" + "r" * len(COLUMNS) + "l")
    text += f"\n{first} → {last}, how many times lower: {totals}.\n\n"
    share_rows = [
        (label, *_shares(data, phases, key)) for key, label, _ in (COLUMNS[0], COLUMNS[3])
    ]
    text += (
        f"Share of the whole {first} → {last} gain bought by each step (its drop in "
        "absolute terms; a negative share is a step that cost more than it saved):\n\n"
    )
    text += md.table(("figure", *(p.label for p in phases[1:])), share_rows)
    return text + "\n" + img("migration.png") + "\n"


def _shares(data: RunData, phases: list[Phase], key: str) -> list[str]:
    values = [figure(data, p.build, key) for p in phases]
    first, last = values[0], values[-1]
    if first is None or last is None or first == last:
        return ["—"] * (len(phases) - 1)
    gain = first - last
    return [
        "—" if a is None or b is None else f"{(a - b) / gain:.0%}"
        for a, b in itertools.pairwise(values)
    ]
