"""The drop-copy's cost over several runs: ``python -m hotpath_lab.dropcopy.repeated RUN…``.

One ``hotpath bench --drop-copy`` run compares two worker processes, ``<build>`` and
``<build>@drop-copy``, and its report's intervals resample seconds within each. On the lab's
2-core VM a process's own placement moves its P50 by −18 to +35 % (docs/dropcopy.md:
eight smoke runs, the same build off and on), far more than a drop-copy costs a Rust build;
one pair of processes cannot tell such a cost from that. Over N runs the i-th run's off and
on rows are a pair (they ran back to back), and the change gets the wall gate's interval:
paired two-level bootstrap, expanded for N pairs (``gate.wall.resampling``,
``gate.wall.small_sample``). ``make dropcopy-repeat`` makes the runs and prints this table.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from hotpath_lab import units
from hotpath_lab.gate.wall.resampling import Change, changes
from hotpath_lab.gate.wall.samples import SamplesError, load_sides
from hotpath_lab.options import DROP_COPY_ROW, drop_copy_row
from hotpath_lab.storage import ResultsError, load_run

METRICS = ("e2e", "service")
QUANTILES = (0.5, 0.99, 0.999)


@dataclass(frozen=True)
class CostRow:
    """One build × metric × percentile: off and on, and the change with its interval."""

    build: str
    metric: str
    change: Change

    @property
    def verdict(self) -> str:
        ch = self.change
        if ch.low > 0:
            return "higher"
        if ch.high < 0:
            return "lower"
        return "no clear change"


def run_folders(paths: Sequence[Path]) -> list[Path]:
    """The run folders named or found below ``paths`` (any folder holding a ``run.json``),
    in path order."""
    found: set[Path] = set()
    for path in paths:
        if (path / "run.json").is_file():
            found.add(path)
        elif path.is_dir():
            found.update(p.parent for p in path.rglob("run.json"))
        else:
            raise SamplesError(f"{path}: neither a run folder nor a folder holding runs")
    return sorted(found)


def published_builds(folder: Path) -> list[str]:
    """The builds of a run that ran with the drop-copy off and on."""
    run = load_run(folder)
    return [
        b for b in run.builds if not b.endswith(DROP_COPY_ROW) and drop_copy_row(b) in run.builds
    ]


def costs(runs: Sequence[Path], builds: Sequence[str]) -> list[CostRow]:
    """Off → on for every build over ``runs`` (the pairs); one run gives unbounded intervals."""
    rows = []
    for build in builds:
        sides = load_sides(runs, runs, build, candidate_build=drop_copy_row(build))
        for metric in METRICS:
            if metric in sides:
                a, b = sides[metric]
                rows += [CostRow(build, metric, ch) for ch in changes(a, b, QUANTILES)]
    return rows


def render(rows: Sequence[CostRow], runs: int) -> Table:
    table = Table(title=f"drop-copy off → on over {runs} runs (paired, expanded)", show_edge=False)
    for i, col in enumerate(("build", "metric", "pct", "off", "on", "change", "verdict")):
        table.add_column(col, justify="left" if i in (0, 1, 2, 6) else "right")
    for r in rows:
        ch = r.change
        table.add_row(
            r.build, r.metric, f"P{100 * ch.q:g}", units.latency(ch.baseline),
            units.latency(ch.candidate),
            f"{100 * ch.change:+.1f}% [{100 * ch.low:+.1f}, {100 * ch.high:+.1f}]", r.verdict,
        )  # fmt: skip
    return table


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m hotpath_lab.dropcopy.repeated",
        description="The drop-copy's cost over several `hotpath bench --drop-copy` runs: each "
        "run's off and on rows are a pair; paired two-level bootstrap, expanded for the pairs.",
    )
    p.add_argument("runs", nargs="+", type=Path, help="run folders, or folders holding them")
    p.add_argument("--builds", default=None, help="builds to compare (default: every one "
                   "the first run measured off and on)")  # fmt: skip
    args = p.parse_args(argv)
    err = Console(stderr=True)
    try:
        runs = run_folders(args.runs)
        if not runs:
            err.print(f"error: no run folder under {', '.join(map(str, args.runs))}")
            return 2
        builds = args.builds.split(",") if args.builds else published_builds(runs[0])
        if not builds:
            err.print(f"error: {runs[0]}: no build ran with the drop-copy off and on")
            return 2
        rows = costs(runs, builds)
    except (SamplesError, ResultsError) as exc:
        err.print(f"error: {exc}", highlight=False)
        return 3
    Console().print(render(rows, len(runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
