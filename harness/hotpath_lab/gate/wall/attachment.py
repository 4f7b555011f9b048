"""On a regression: where did the regressed build's time go, baseline against candidate?

Each side profiles the build with its own CLI (``hotpath bench --profile``: the lab's py-spy
pass, a closed-loop replay apart from any timed pass) — the candidate with its canary, if
any — and the two ``profile-<build>.folded`` files become one differential flame graph
(``profiling.differential``). Slow (two more processes plus the profile pass, which builds
debug-info copies of the Rust extensions), so only for builds that regressed.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from hotpath_lab.atomic import atomic_write_bytes
from hotpath_lab.gate.wall.environment import SideEnvironment
from hotpath_lab.gate.wall.runs import BenchSettings, run_side
from hotpath_lab.profiling.differential import render_differential_svg, top_changes
from hotpath_lab.profiling.stacks import parse_collapsed

PROFILE_SECONDS = 5.0


def differential_flame_graph(
    build: str,
    baseline: SideEnvironment,
    candidate: SideEnvironment,
    settings: BenchSettings,
    out_dir: Path,
    *,
    canary: str | None,
) -> Path:
    """Profiles ``build`` on both sides; writes and returns ``flame-diff-<build>.svg``."""
    work = out_dir / "profiles" / build
    one = replace(settings, builds=(build,), profile_seconds=PROFILE_SECONDS)
    a = run_side("A", 0, baseline, one, work, canary=None, candidate_root=candidate.root)
    b = run_side("B", 1, candidate, one, work, canary=canary, candidate_root=candidate.root)
    stacks = []
    for run in (a, b):
        folded = run.folder / f"profile-{build}.folded"
        if not folded.is_file():
            raise ValueError(f"{folded}: the profile pass wrote no stacks (see {run.folder})")
        stacks.append(parse_collapsed(folded.read_text(), source=str(folded)))
    grown = "; ".join(f"{name} {100 * old:.1f}% → {100 * new:.1f}%"
                      for name, old, new in top_changes(stacks[0], stacks[1], limit=3))  # fmt: skip
    svg = render_differential_svg(
        stacks[0],
        stacks[1],
        f"{build}: candidate {candidate.label} against baseline {baseline.label}"
        + (f" (HOTPATH_CANARY={canary})" if canary else ""),
        f"width = candidate's share of samples; red = more of the time than in the baseline. "
        f"Grew most: {grown}",
    )
    path = out_dir / f"flame-diff-{build}.svg"
    atomic_write_bytes(path, svg.encode())
    return path
