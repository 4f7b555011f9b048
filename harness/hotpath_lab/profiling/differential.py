"""A differential flame graph: the candidate's profile, each frame coloured by how its share
of the samples changed from the baseline's.

Drawn by the lab's own renderer (``flamegraph.render_svg``) over the candidate's stacks, so
widths are the candidate's shares; the colour is the change of a frame's *inclusive* share
(the frame with everything it called, matched by its call path from the root): red where
the candidate spends more of its time there, blue where it spends less, white where nothing
changed, full red for a call path the baseline never took. Shares, not sample counts, are
compared, so two profiles of different lengths line up. The tooltip gives both shares.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from hotpath_lab.profiling.flamegraph import render_svg
from hotpath_lab.profiling.stacks import Stack

NEW_PATH = "rgb(200,30,30)"


def inclusive_shares(stacks: Iterable[Stack]) -> dict[tuple[str, ...], float]:
    """Share of all samples spent in each call path (the frame and its callees)."""
    counts: Counter[tuple[str, ...]] = Counter()
    total = 0
    for s in stacks:
        total += s.count
        path: tuple[str, ...] = ()
        for f in s.frames:
            path = (*path, f.label)
            counts[path] += s.count
    return {p: c / total for p, c in counts.items()} if total else {}


def _shade(delta: float, scale: float) -> str:
    """White at no change, towards red (more time) or blue (less) in proportion to
    ``delta / scale``."""
    t = min(1.0, abs(delta) / scale) if scale > 0 else 0.0
    fade = round(245 - 190 * t)
    return f"rgb(245,{fade},{fade})" if delta > 0 else f"rgb({fade},{fade},245)"


def render_differential_svg(
    baseline: Iterable[Stack], candidate: Iterable[Stack], title: str, subtitle: str = ""
) -> str:
    """The candidate's flame graph coloured by change in share against the baseline."""
    candidate = list(candidate)
    before = inclusive_shares(baseline)
    after = inclusive_shares(candidate)
    deltas = [after[p] - before.get(p, 0.0) for p in after]
    scale = max((abs(d) for d in deltas), default=0.0)

    def paint(path: tuple[str, ...], samples: int) -> tuple[str, str]:
        share = after.get(path, 0.0)
        old = before.get(path)
        name = path[-1]
        if old is None:
            return (
                NEW_PATH,
                f"{name} — new in the candidate: {100 * share:.2f}% ({samples:,} samples)",
            )
        delta = share - old
        tip = (
            f"{name} — baseline {100 * old:.2f}% → candidate {100 * share:.2f}% "
            f"({100 * delta:+.2f} points; {samples:,} samples)"
        )
        return _shade(delta, scale), tip

    legend = [
        (NEW_PATH, "only in candidate"),
        (_shade(scale, scale), f"share up (up to {100 * scale:+.1f} points)"),
        ("rgb(245,245,245)", "unchanged"),
        (_shade(-scale, scale), "share down"),
    ]
    return render_svg(candidate, title, subtitle, paint=paint, legend=legend)


def top_changes(
    baseline: Iterable[Stack], candidate: Iterable[Stack], limit: int = 5
) -> list[tuple[str, float, float]]:
    """The leaf-most call paths whose share grew most: ``(frame, before, after)``."""
    before = inclusive_shares(baseline)
    after = inclusive_shares(candidate)
    grown = sorted(after, key=lambda p: after[p] - before.get(p, 0.0), reverse=True)
    return [(p[-1], before.get(p, 0.0), after[p]) for p in grown[:limit]]
