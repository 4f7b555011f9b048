"""A gate's verdict for people: console tables, ``gate.md`` and ``gate.json``.

One table per tier and one row per judged figure: baseline, candidate, change with its
interval, threshold, verdict. The files go to the gate's output folder together with the
tiers' attachments (function-level diffs, differential flame graphs), written atomically.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from rich.console import Console
from rich.table import Table

from hotpath_lab import units
from hotpath_lab.atomic import atomic_write_bytes
from hotpath_lab.gate.outcome import Judgement, Row, Status, TierResult, combine

TIER_TITLES = {
    "det": "deterministic tier (callgrind instructions and allocations vs results/baselines/)",
    "wall": "wall-clock tier (interleaved baseline/candidate processes, bootstrap intervals)",
}
_STYLE = {
    Judgement.PASS: "green",
    Judgement.REGRESSION: "bold red",
    Judgement.NOT_GATED: "dim",
    Judgement.UNMEASURED: "yellow",
}


def value(v: float, unit: str) -> str:
    """A figure in its unit: latencies as ``12.3 µs``, counts with three significant digits."""
    if v is None or math.isnan(v):
        return units.MISSING
    if unit == "ns":
        return units.latency(v)
    digits = f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"
    return f"{digits} {unit}".strip()


def small_pct(fraction: float) -> str:
    """``+0.25%`` below one per cent (where the deterministic tier's figures live), else
    ``+3.1%``."""
    if math.isnan(fraction) or abs(fraction) >= 0.01:
        return units.signed_pct(fraction)
    return f"{100 * fraction:+.2f}%"


def change(row: Row) -> str:
    """``+3.1% [+2.0, +4.2]``, or just ``+0.02%`` for an exact figure."""
    if row.low == row.high or math.isnan(row.low) or math.isnan(row.high):
        return small_pct(row.change)
    return f"{units.signed_pct(row.change)} [{100 * row.low:+.1f}, {100 * row.high:+.1f}]"


def table(result: TierResult) -> Table:
    t = Table(title=TIER_TITLES.get(result.tier, result.tier), title_justify="left")
    for col in ("build", "metric", "baseline", "candidate", "change [95% interval]",
                "threshold", "verdict", "note"):  # fmt: skip
        t.add_column(col, justify="right" if col in ("baseline", "candidate") else "left")
    for r in result.rows:
        t.add_row(
            r.build, r.metric, value(r.baseline, r.unit), value(r.candidate, r.unit), change(r),
            small_pct(r.threshold), f"[{_STYLE[r.judgement]}]{r.judgement.value}[/]", r.note,
        )  # fmt: skip
    return t


def print_result(console: Console, results: Sequence[TierResult]) -> None:
    for result in results:
        console.print(table(result))
        for note in result.notes:
            console.print(f"  {note}", highlight=False)
        if result.unmeasured_reason:
            console.print(f"  [yellow]could not measure:[/] {result.unmeasured_reason}")
        for path in result.attachments:
            console.print(f"  attached: {path}", highlight=False)
    status = combine(results)
    colour = {Status.PASS: "green", Status.REGRESSION: "bold red"}.get(status, "yellow")
    console.print(f"gate: [{colour}]{status.value}[/]")


def markdown(results: Sequence[TierResult], header: Sequence[str] = ()) -> str:
    lines = ["# Regression gate", "", *header, "", f"**Verdict: {combine(results).value}**", ""]
    for result in results:
        lines += [f"## {TIER_TITLES.get(result.tier, result.tier)}", ""]
        lines += ["| build | metric | baseline | candidate | change [95% interval] | threshold | "
                  "verdict | note |", "|---|---|---:|---:|---|---|---|---|"]  # fmt: skip
        for r in result.rows:
            verdict = (
                f"**{r.judgement.value}**"
                if r.judgement is Judgement.REGRESSION
                else (r.judgement.value)
            )
            lines.append(
                f"| {r.build} | {r.metric} | {value(r.baseline, r.unit)} | "
                f"{value(r.candidate, r.unit)} | {change(r)} | {small_pct(r.threshold)} | "
                f"{verdict} | {r.note} |"
            )
        lines.append("")
        lines += [f"- {n}" for n in result.notes]
        if result.unmeasured_reason:
            lines.append(f"- **could not measure**: {result.unmeasured_reason}")
        lines += [f"- attached: [{p.name}]({p.name})" for p in result.attachments]
        lines.append("")
    return "\n".join(lines)


def to_json(results: Sequence[TierResult]) -> dict[str, object]:
    def row(r: Row) -> dict[str, object]:
        d = asdict(r)
        d["judgement"] = r.judgement.value
        return d

    return {
        "status": combine(results).value,
        "tiers": [
            {
                "tier": t.tier,
                "status": t.status.value,
                "rows": [row(r) for r in t.rows],
                "notes": list(t.notes),
                "unmeasured_reason": t.unmeasured_reason,
                "attachments": [p.name for p in t.attachments],
            }
            for t in results
        ],
    }


def write_files(out: Path, results: Sequence[TierResult], header: Sequence[str] = ()) -> Path:
    """``gate.md`` and ``gate.json`` in ``out`` (attachments are already there); returns
    the path of ``gate.md``."""
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(out / "gate.json", json.dumps(to_json(results), indent=2).encode())
    atomic_write_bytes(out / "gate.md", markdown(results, header).encode())
    return out / "gate.md"
