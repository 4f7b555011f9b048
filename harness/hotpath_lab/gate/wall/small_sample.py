"""Widening a bootstrap interval drawn from a handful of processes.

A percentile bootstrap that resamples ``n`` units (here: process pairs) is too narrow when
``n`` is small, for two known reasons: resampling ``n`` values reproduces their spread with
the divisor ``n`` instead of ``n − 1``, and its quantiles follow the normal distribution
where, with the spread itself estimated from ``n`` values, Student's t with ``n − 1``
degrees of freedom applies. The *expanded* percentile interval corrects both by stretching
the interval about its point estimate by

    sqrt(n / (n − 1)) · t(n − 1) / z

(1.87 for 4 pairs, 1.44 for 6, 1.29 for 8, 1.17 for 12; at 95 %). Without it the wall tier
judged a clean A-vs-A run a regression in CI (rust-ffi validation P50, 4 pairs), and on a
series of clean processes assigned to sides at random it put 13 of 900 rows' lower bounds
above their thresholds, 3 with it (docs/gate-wall.md).

Student's t quantile is computed here (no SciPy in the lab's environment) from the closed
form of its distribution function for whole degrees of freedom, solved by bisection.
"""

from __future__ import annotations

import math
from statistics import NormalDist


def t_two_sided_probability(t: float, df: int) -> float:
    """P(|T| < t) for Student's t with ``df`` (≥ 1) degrees of freedom, in closed form
    (a finite series in cos θ, θ = atan(t / sqrt(df)))."""
    if df < 1:
        raise ValueError(f"degrees of freedom must be >= 1, got {df}")
    theta = math.atan(abs(t) / math.sqrt(df))
    c2 = math.cos(theta) ** 2
    if df % 2 == 1:
        term, total = 1.0, 1.0 if df > 1 else 0.0
        for k in range(1, (df - 1) // 2):
            term *= c2 * (2 * k) / (2 * k + 1)
            total += term
        return 2 / math.pi * (theta + math.sin(theta) * math.cos(theta) * total)
    term, total = 1.0, 1.0
    for k in range(1, df // 2):
        term *= c2 * (2 * k - 1) / (2 * k)
        total += term
    return math.sin(theta) * total


def t_quantile(confidence: float, df: int) -> float:
    """The ``t`` with P(|T| < t) = ``confidence`` (the two-sided critical value)."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    lo, hi = 0.0, 1.0
    while t_two_sided_probability(hi, df) < confidence:
        hi *= 2
    for _ in range(100):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if t_two_sided_probability(mid, df) < confidence else (lo, mid)
    return (lo + hi) / 2


def expansion(units: int, confidence: float) -> float:
    """How much an interval resampled from ``units`` units is stretched (∞ below 2: one
    unit says nothing of the spread between units)."""
    if units < 2:
        return math.inf
    z = NormalDist().inv_cdf((1 + confidence) / 2)
    return math.sqrt(units / (units - 1)) * t_quantile(confidence, units - 1) / z


def expand(point: float, low: float, high: float, factor: float) -> tuple[float, float]:
    """``(low, high)`` stretched about ``point`` by ``factor``."""
    if math.isinf(factor):
        return -math.inf, math.inf
    return point - factor * (point - low), point + factor * (high - point)
