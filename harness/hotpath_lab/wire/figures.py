"""The comparisons a wire run adds: every target as a multiple of the floors, and the
Python gateway ÷ the Rust one (the same figures and rule as the in-process ratios,
``storage.figures``)."""

from __future__ import annotations

from collections.abc import Mapping

from hotpath_lab import units
from hotpath_lab.storage import BuildResult, Run
from hotpath_lab.storage.figures import python_ratios
from hotpath_lab.storage.run_model import Measured, Ratios
from hotpath_lab.storage.wire_model import FloorMultiples
from hotpath_lab.wire.targets import FLOORS, ZMQ_FLOOR

PYTHON, RUST = "wire-python", "wire-rust"


def _over(x: int, floor: int) -> float | None:
    return x / floor if floor else None


def floor_multiples(targets: Mapping[str, Measured]) -> dict[str, FloorMultiples]:
    """``"<target>/<floor>"`` → the target's e2e P50/P99/P99.9 ÷ the floor's, for every
    floor present and every other target (the ZeroMQ floor first)."""
    out = {}
    for floor in sorted((f for f in FLOORS if f in targets), key=lambda f: f != ZMQ_FLOOR):
        base = targets[floor].latency_ns.e2e
        for name, t in targets.items():
            if name == floor:
                continue
            e2e = t.latency_ns.e2e
            out[f"{name}/{floor}"] = FloorMultiples(
                e2e_p50=_over(e2e.p50, base.p50),
                e2e_p99=_over(e2e.p99, base.p99),
                e2e_p999=_over(e2e.p999, base.p999),
            )
    return out


def wire_ratios(builds: Mapping[str, BuildResult]) -> dict[str, Ratios]:
    """``"wire-python/wire-rust"``: how many times slower (or bigger) the Python gateway
    is, when both ran."""
    if PYTHON not in builds or RUST not in builds:
        return {}
    return {f"{PYTHON}/{RUST}": python_ratios(builds[PYTHON], builds[RUST])}


def multiple_text(value: float | None) -> str:
    """A multiple of a floor: ``units.ratio``, with two significant digits below 1 (a
    target faster than a floor is 0.018×, not 0.0×)."""
    if value is not None and 0 < value < 1:
        return f"{value:.2g}×"
    return units.ratio(value)


def floor_multiple_rows(run: Run) -> list[tuple[str, str, FloorMultiples]]:
    """(target, floor, multiples) for the tables: the ZeroMQ floor first, then the other,
    each with the targets in the run's order (``run.json`` keeps its keys sorted)."""
    if run.wire is None:
        return []
    order = list(run.measured)
    rows = []
    for key, m in run.wire.floor_multiples.items():
        target, _, floor = key.rpartition("/")
        rows.append((target, floor, m))
    rank = {name: i for i, name in enumerate(order)}
    return sorted(rows, key=lambda r: (r[1] != ZMQ_FLOOR, r[1], rank.get(r[0], len(rank))))
