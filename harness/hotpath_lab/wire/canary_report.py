"""A canary shift as a table: one row per step, the same cells on the console and in
``canary.md``."""

from __future__ import annotations

from hotpath_lab import units
from hotpath_lab.wire.canary_model import Canary, CanaryStep

COLUMNS = (
    "share", "accounts", "orders new/old", "old P50", "old P99", "old P99.9",
    "new P50", "new P99", "new P99.9", "mismatches", "verdict",
)  # fmt: skip


def step_row(step: CanaryStep) -> list[str]:
    old, new = step.sides["old"], step.sides["new"]
    return [
        f"{step.share_pct:g}%",
        f"{len(step.new_accounts)} ({units.pct(step.account_share, 0)})",
        f"{new.orders:,} / {old.orders:,} ({units.pct(step.order_share, 1)})",
        units.latency(old.latency.p50 if old.latency.count else None),
        units.latency(old.latency.p99 if old.latency.count else None),
        units.latency(old.latency.p999 if old.latency.count else None),
        units.latency(new.latency.p50 if new.latency.count else None),
        units.latency(new.latency.p99 if new.latency.count else None),
        units.latency(new.latency.p999 if new.latency.count else None),
        f"{step.mismatches:,}",
        verdict(step),
    ]


def verdict(step: CanaryStep) -> str:
    if not step.tripped:
        return "pass"
    return "STOP: " + "; ".join(f"{t.guard} ({t.why})" for t in step.tripped)


def outcome(c: Canary) -> str:
    """One line: how the shift ended."""
    s = c.settings
    if c.completed:
        return f"shift completed: every step passed ({_steps(c)})"
    step = next(x for x in c.steps if x.tripped)
    skipped = [p for p in s.steps_pct if p > step.share_pct]
    return f"shift stopped at {step.share_pct:g}%: {verdict(step).removeprefix('STOP: ')}" + (
        f"; not run: {', '.join(f'{p:g}%' for p in skipped)}" if skipped else ""
    )


def canary_markdown(c: Canary) -> str:
    s = c.settings
    lines = [
        f"# Canary shift: {s.old} → {s.new} on {c.scenario.name}",
        "",
        f"`{c.canary_id}`, {c.created_utc}; {s.events:,} events per step (one session each);"
        f" git {c.environment.git.short}; {c.environment.cpu_model}.",
        "",
        f"**{outcome(c)}**",
        "",
        f"Latency: {c.measured}.",
        "",
        "Guards: any report mismatch against the shadow"
        + (f"; new P99 above {s.guard_p99_us:g} µs" if s.guard_p99_us is not None else "")
        + (
            f"; new P99 above {s.guard_p99_factor:g} × the shadow's"
            if s.guard_p99_factor is not None
            else ""
        )
        + "."
        + (
            f" Testing aid: event {s.perturb_event} altered in {s.new}'s copy."
            if s.perturb_event is not None
            else ""
        ),
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "|".join("---" if c_ in ("share", "verdict") else "---:" for c_ in COLUMNS) + "|",
    ]
    lines += ["| " + " | ".join(step_row(step)) + " |" for step in c.steps]
    firsts = [(x.share_pct, x.first_mismatch) for x in c.steps if x.first_mismatch]
    if firsts:
        lines += ["", "First mismatch per step:", ""]
        lines += [f"- {p:g}%: {m}" for p, m in firsts]
    lines += ["", f"![share against P99]({c.files.chart_png})", ""]
    return "\n".join(lines)


def _steps(c: Canary) -> str:
    return " → ".join(f"{x.share_pct:g}%" for x in c.steps)
