"""How the lab prints numbers: one formatter per kind of figure, used by the console tables,
``report.md``, the plots' axes and the notebooks.

Latencies are kept in ns everywhere and get their unit only here, at the last moment:
``latency(57_311)`` → ``"57.3 µs"``. Missing values (``None``, NaN) print as ``"–"``.
"""

from __future__ import annotations

import math

MISSING = "–"
_LATENCY_UNITS = ((1e9, "s"), (1e6, "ms"), (1e3, "µs"))


def latency(ns: float | None) -> str:
    """A latency in ns with three significant digits in the largest unit that keeps it
    ≥ 1: ``789 ns``, ``12.3 µs``, ``4.56 ms``, ``1.2 s``."""
    if ns is None or math.isnan(ns):
        return MISSING
    v = float(f"{float(ns):.3g}")  # round first, so 999.96 µs prints as 1 ms, not 1e+03 µs
    for scale, unit in _LATENCY_UNITS:
        if abs(v) >= scale:
            return f"{v / scale:.3g} {unit}"
    return f"{v:.0f} ns"


def count(value: float | None) -> str:
    """``1,234,567`` (rates, counts)."""
    return MISSING if value is None or math.isnan(value) else f"{value:,.0f}"


def mib(value: float | None) -> str:
    """Bytes as ``12.3 MiB``."""
    return MISSING if value is None or math.isnan(value) else f"{value / 2**20:,.1f} MiB"


def pct(value: float | None, digits: int = 1) -> str:
    """A share (0..1) as ``12.3%``."""
    return MISSING if value is None or math.isnan(value) else f"{100 * value:.{digits}f}%"


def signed_pct(value: float | None) -> str:
    """A relative change (0.05 = 5 %) as ``+5.0%``."""
    return MISSING if value is None or math.isnan(value) else f"{100 * value:+.1f}%"


def ratio(value: float | None) -> str:
    """``12.3×``; below 0.1 two significant digits (``0.022×``), so that a peer many times
    slower than Python does not read ``0.0×``."""
    if value is None or math.isnan(value):
        return MISSING
    return f"{value:.2g}×" if 0 < abs(value) < 0.1 else f"{value:,.1f}×"


def milliseconds(value: float | None) -> str:
    return MISSING if value is None or math.isnan(value) else f"{value:,.1f} ms"


def figure(value: float | None, unit: str) -> str:
    """A value of ``storage.figures`` by its unit (``ns``, ``per_s``, ``bytes``, ``ms``,
    ``share``)."""
    formats = {"ns": latency, "per_s": count, "bytes": mib, "ms": milliseconds, "share": _share}
    return formats[unit](value)


def _share(value: float | None) -> str:
    return pct(value, 2)
