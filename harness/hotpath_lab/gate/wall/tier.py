"""``run_wall_tier``: baseline and candidate processes interleaved, judged per stage.

1. the candidate is this tree; the baseline is set up in its own environment
   (``environment``), or is this tree too (``against=THIS_TREE``, or a clean HEAD);
2. both replay the same scenario file, ``pairs`` processes each, in ``schedule`` order,
   the candidate's processes alone with ``HOTPATH_CANARY`` set when a canary is asked for;
3. per build, the interval logs of each side are stacked and every metric's P50, P99 and
   P99.9 judged (``judge``);
4. on a regression, each regressed build is profiled on both sides and a differential flame
   graph attached (``attachment``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from hotpath_lab.gate.outcome import Judgement, Row, TierResult
from hotpath_lab.gate.wall.attachment import differential_flame_graph
from hotpath_lab.gate.wall.environment import (
    GateEnvironmentError,
    SideEnvironment,
    baseline_environment,
    candidate_environment,
    this_tree_as_baseline,
)
from hotpath_lab.gate.wall.judge import MachineNoise, judge_build
from hotpath_lab.gate.wall.runs import BenchSettings, SideRun, WallRunError, run_side
from hotpath_lab.gate.wall.samples import load_sides, process_facts
from hotpath_lab.gate.wall.schedule import schedule

THIS_TREE = "."
"""``against`` value meaning: the baseline is this very tree (tests; false-positive runs)."""
DEFAULT_PAIRS = 6
DEFAULT_SCENARIO = "smoke"
MAX_PAIRS = 12
"""The most pairs a tier runs when rows cannot be judged (~10 min for three builds)."""
EXTEND_BY = 2
"""Pairs added at a time: one ABBA block."""
QUICK_PAIRS = 4
"""Fewest pairs whose smoke runs give P99.9 its 20 values per side (3 pairs give ~16)."""
MAX_STOLEN_SHARE = 0.25
"""A machine losing more of its time than this cannot judge even P50 honestly here."""

WallProgress = Callable[[str, int, int], None]
"""``progress(what, done, total)``"""


def run_wall_tier(
    against: str | None,
    scenario: str | None,
    builds: Sequence[str],
    out: Path,
    *,
    pairs: int | None = None,
    canary: str | None = None,
    progress: WallProgress | None = None,
    order: str = "ABBA",
    method: str = "paired",
    profile_regressions: bool = True,
    max_pairs: int | None = None,
) -> TierResult:
    """Runs the wall-clock tier; ``out`` gets the run folders (``runs/``) and any
    attachment. ``against``: a git ref, ``None`` for the merge-base with main, or
    ``THIS_TREE`` (``"."``); ``scenario=None``: ``DEFAULT_SCENARIO``; ``pairs=None``:
    ``DEFAULT_PAIRS``. While some row cannot be judged (too few samples, too wide an
    interval) and none regressed, ``EXTEND_BY`` more pairs run, up to ``max_pairs``
    (``None``: ``MAX_PAIRS``; never fewer than ``pairs``). ``progress`` is called after
    each process.
    Raises ``GateEnvironmentError``/``WallRunError`` when a side cannot run
    (the CLI reports those as could-not-measure)."""
    scenario = scenario or DEFAULT_SCENARIO
    pairs = DEFAULT_PAIRS if pairs is None else pairs
    first_pairs = pairs
    started = time.monotonic()
    log: list[str] = []
    candidate = candidate_environment()
    if against == THIS_TREE:
        baseline = this_tree_as_baseline(candidate)
    else:
        baseline = baseline_environment(against, candidate, log=log.append)
    setup_s = time.monotonic() - started
    from hotpath_lab.scenarios.generate import build_scenario

    settings = BenchSettings(
        scenario=_scenario_file(scenario, build_scenario), builds=tuple(builds)
    )
    limit = max(pairs, max_pairs if max_pairs is not None else MAX_PAIRS)
    runs: list[SideRun] = []
    while True:
        runs += _run_interleaved(
            baseline, candidate, settings, out / "runs", pairs, order, canary, progress,
            done=len(runs), limit=limit,
        )  # fmt: skip
        rows, machine_notes, unmeasured = _judge_all(builds, runs, method)
        if unmeasured or pairs >= limit or not _worth_more_pairs(rows):
            break
        pairs = min(limit, pairs + EXTEND_BY)
    measured_s = time.monotonic() - started - setup_s
    notes = [
        f"baseline {baseline.label}"
        + (" (this tree)" if baseline.shared_with_candidate else f" in {baseline.root}")
        + (f", set up in {baseline.setup_s:.0f} s" if baseline.setup_s is not None else "")
        + f"; candidate {candidate.label}"
        + (f" with HOTPATH_CANARY={canary}" if canary else ""),
        f"{pairs} process pairs ({order}) of `hotpath bench --scenario {settings.scenario.name}` "
        f"(pace {settings.pace}), {method} bootstrap; {measured_s:.0f} s of runs "
        f"({measured_s / pairs:.0f} s per pair), {setup_s:.0f} s of set-up"
        + (f"; {pairs - first_pairs} pairs added because some rows could not be judged"
           if pairs > first_pairs else ""),
        *log,
        *machine_notes,
    ]  # fmt: skip
    regressed = sorted({r.build for r in rows if r.judgement is Judgement.REGRESSION})
    attachments: list[Path] = []
    if regressed:
        moved = ", ".join(
            f"{r.build} {r.metric}" for r in rows if r.judgement is Judgement.REGRESSION
        )
        notes.append(f"regressed: {moved}")
    if regressed and profile_regressions:
        for build in regressed:
            if progress is not None:
                progress(f"profiling {build} on both sides", 0, 1)
            try:
                attachments.append(
                    differential_flame_graph(
                        build, baseline, candidate, settings, out, canary=canary
                    )
                )
            except (WallRunError, OSError, ValueError) as exc:
                notes.append(f"{build}: no differential flame graph: {exc}")
    notes.append(f"wall tier took {time.monotonic() - started:.0f} s in all")
    return TierResult("wall", tuple(rows), tuple(notes), tuple(attachments), unmeasured)


def _judge_all(
    builds: Sequence[str], runs: Sequence[SideRun], method: str
) -> tuple[list[Row], list[str], str]:
    """Every build's rows from the runs so far, the machine's notes, and the reason the
    tier as a whole cannot judge (empty when it can)."""
    rows: list[Row] = []
    notes: list[str] = []
    unmeasured = ""
    a_runs = [r.folder for r in runs if r.side == "A"]
    b_runs = [r.folder for r in runs if r.side == "B"]
    for build in builds:
        facts = [process_facts(f, build) for f in (*a_runs, *b_runs)]
        noise = MachineNoise.of(facts)
        notes.append(
            f"{build}: noise floor up to {100 * noise.stolen_share:.2f}% of time lost "
            f"(percentiles beyond p{100 * noise.floor_quantile:.2f} are the machine's), "
            f"interruptions of {noise.interruption_ns / 1e3:.1f} µs (median, largest process)"
        )
        if noise.stolen_share > MAX_STOLEN_SHARE:
            unmeasured = (
                f"{build}: the machine lost up to {100 * noise.stolen_share:.0f}% of its time "
                f"to interruptions (more than {100 * MAX_STOLEN_SHARE:.0f}%): too noisy to judge"
            )
        if len({f.digest for f in facts}) > 1:
            notes.append(f"{build}: baseline and candidate produce different reports (digests)")
        rows += judge_build(build, load_sides(a_runs, b_runs, build), noise, method=method)
    return rows, notes, unmeasured


def _worth_more_pairs(rows: Sequence[Row]) -> bool:
    """More pairs can turn a could-not-measure row into a verdict; a regression is already
    the gate's answer."""
    judged = {r.judgement for r in rows}
    return Judgement.UNMEASURED in judged and Judgement.REGRESSION not in judged


def _scenario_file(scenario: str, build: Callable[[str], Path]) -> Path:
    """A scenario file both sides replay: built by the candidate's lab from a manifest name,
    so a baseline with another generator still replays the same bytes."""
    path = Path(scenario)
    return path.resolve() if path.suffix == ".hpe" and path.is_file() else build(scenario)


def _run_interleaved(
    baseline: SideEnvironment,
    candidate: SideEnvironment,
    settings: BenchSettings,
    out_dir: Path,
    pairs: int,
    order: str,
    canary: str | None,
    progress: WallProgress | None,
    *,
    done: int = 0,
    limit: int | None = None,
) -> list[SideRun]:
    """The processes of ``schedule(pairs)`` from position ``done`` on (the schedule of more
    pairs starts with that of fewer, so a tier can add pairs); ``limit`` pairs at most
    are announced to ``progress``."""
    plan = schedule(pairs, order)
    total = 2 * (limit or pairs)
    runs = []
    for i in range(done, len(plan)):
        side = plan[i]
        env = baseline if side == "A" else candidate
        runs.append(
            run_side(
                side,
                i,
                env,
                settings,
                out_dir,
                canary=canary if side == "B" else None,
                candidate_root=candidate.root,
            )
        )
        if progress is not None:
            # one task name for the whole schedule: the display times a task from its start
            progress("wall: baseline/candidate processes (at most)", i + 1, total)
    return runs


__all__ = ["THIS_TREE", "GateEnvironmentError", "WallRunError", "run_wall_tier"]
