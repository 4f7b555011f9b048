"""Small Markdown helpers for reports: tables and number formats."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence


def table(header: Sequence[str], rows: Iterable[Sequence[object]], align: str = "") -> str:
    """A GitHub-flavoured Markdown table; ``align`` holds one of ``l``/``r`` per column
    (default: first column left, the rest right)."""
    align = align or "l" + "r" * (len(header) - 1)
    marks = ["---:" if a == "r" else ":---" for a in align]
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |", "| " + " | ".join(marks) + " |"]
    lines.extend("| " + " | ".join(_cell(c) for c in row) + " |" for row in rows)
    return "\n".join(lines) + "\n"


def _cell(value: object) -> str:
    text = "–" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def ns(value: float | None) -> str:
    """Latency in ns → ``12.3 µs`` / ``4.56 ms`` / ``789 ns``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    v = float(value)
    if abs(v) >= 1e9:
        return f"{v / 1e9:.3g} s"
    if abs(v) >= 1e6:
        return f"{v / 1e6:.3g} ms"
    if abs(v) >= 1e3:
        return f"{v / 1e3:.3g} µs"
    return f"{v:.0f} ns"


def count(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def mib(value: float | None) -> str:
    return "–" if value is None else f"{value / 2**20:,.1f} MiB"


def pct(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{100 * value:.{digits}f}%"


def signed_pct(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{100 * value:+.1f}%"


def ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f}×"
