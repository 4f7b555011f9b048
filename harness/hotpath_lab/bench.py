"""``hotpath bench``: one worker process per build, then one run folder with everything.

The run folder is assembled in a staging directory and renamed into place at the end, so
an interrupted or failed run leaves nothing behind and earlier runs are never touched.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from hotpath_format import EventFile
from hotpath_lab import environment
from hotpath_lab.atomic import first_free_directory
from hotpath_lab.drivers.builds import BUILTIN
from hotpath_lab.drivers.plugin import AnyBuild, BuildFailed, BuildSpecError, load_builds
from hotpath_lab.dropcopy.run import DropCopyServer, RestartPlan, drop_copy_server
from hotpath_lab.inspection import summarize
from hotpath_lab.lifetime import dies_with_parent, how_it_ended
from hotpath_lab.options import DropCopyJob, Job, RunOptions, drop_copy_row
from hotpath_lab.profiling.cpu import attach_cpu_trace, sample_cpu
from hotpath_lab.profiling.profile_pass import profile_builds
from hotpath_lab.progress_channel import ProgressChannel
from hotpath_lab.storage import BuildResult, Run, decode, new_run_id, run_folders, write_run
from hotpath_lab.storage.figures import python_ratios
from hotpath_lab.storage.folders import utc_timestamp
from hotpath_lab.storage.run_model import Environment, Profiles, Ratios, Scenario

PhaseProgress = Callable[[str, str, int, int], None]
"""``progress(build, phase, done, total)``"""

WorkerWatch = Callable[[str, int, int], None]
"""``watch(phase, done, total)``: the orchestrator's own reaction to a worker's progress."""


POLL_S = 0.2
"""How often the orchestrator looks at a worker's progress."""


class BenchError(BuildFailed):
    """A worker failed: the message says which build and how it ended, ``detail`` holds
    the worker's error output."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


def run_bench(
    scenario: EventFile,
    options: RunOptions,
    results_root: Path,
    *,
    progress: PhaseProgress | None = None,
) -> Path:
    """Runs every build on ``scenario`` and returns the new run folder.

    Raises ``OptionsError``/``PaceError`` for a bad option and ``BuildSpecError`` for a
    build that cannot be loaded, before anything runs.
    """
    loaded = load_checked(options)
    specs = {name: spec for name, (spec, _) in loaded.items()}
    env = environment.collect()
    summary = summarize(scenario)
    candidates = run_folders(
        results_root, summary.name or scenario.path.stem, new_run_id(env["git"]["short"])
    )
    started = time.time()
    with (
        first_free_directory(candidates) as (final, staging),
        drop_copy_server(options.drop_copy) as redis,
    ):
        run_id = final.name  # the second run started in the same second is <id>-2
        results = {}
        for name, spec in specs.items():
            python = getattr(loaded[name][1], "interpreter", None) or sys.executable
            job = Job(
                kind="measure", build=spec, scenario_path=str(scenario.path), out=str(staging),
                options=options,
            )  # fmt: skip
            results[name] = _run_worker(name, job, progress, python)
            if redis is not None:  # the same build again, publishing (docs/dropcopy.md)
                row = drop_copy_row(name)
                dc = DropCopyJob(
                    url=redis.url, prefix=f"hotpath:{run_id}:{row}", run_id=run_id,
                    scenario=summary.name or scenario.path.stem,
                )  # fmt: skip
                results[row] = _run_drop_copy_worker(
                    row, job, progress, python, redis, dc, engine_memory=results[name]["memory"]
                )
        profiles = None
        if options.profile:  # never during the timed pass: a pass of its own, per build
            profiles = profile_builds(scenario.path, specs, staging, options, results, progress)
        # the model checks every worker's result before anything is written: a run.json
        # that readers would refuse cannot be made
        builds = {b: decode(BuildResult, r, f"result of build {b!r}") for b, r in results.items()}
        compared = {b: r for b, r in builds.items() if r.shadow_equal}  # peers: docs/peers.md
        run = Run(
            mode="in-process",
            run_id=run_id,
            created_utc=utc_timestamp(started),
            duration_s=time.time() - started,
            scenario=Scenario.of(summary),
            options=options,
            environment=decode(Environment, env, "environment"),
            builds=builds,
            digests={b: r.digest for b, r in compared.items()},
            agree=len({r.digest for r in compared.values()}) <= 1
            and all(
                r.throughput is None or r.throughput.digest == r.digest for r in compared.values()
            ),
            ratios=ratios(builds),
            profiles=None if profiles is None else decode(Profiles, profiles, "profile pass"),
        )
        write_run(staging, run)
        # imported here, not at the top: pandas and matplotlib would swell this process, and
        # a worker's ru_maxrss starts from its parent's resident size at fork
        from hotpath_lab.reporting.report import write_report_safely

        write_report_safely(staging, results_root)  # report.md + plots/, inside the staging dir
    return final


def check_options(options: RunOptions) -> dict[str, str]:
    """Checks every option and loads every build once; returns name → ``--builds`` entry."""
    return {name: spec for name, (spec, _) in load_checked(options).items()}


def load_checked(options: RunOptions) -> dict[str, tuple[str, AnyBuild]]:
    """Checks every option; name → (``--builds`` entry, the build loaded). A build with an
    ``interpreter`` (a peer in its own venv, docs/peers.md) has its workers run on it; the
    profile pass runs every build here, so it refuses such a build up front."""
    options.check()
    loaded = load_builds(list(options.builds), BUILTIN)
    if options.drop_copy is not None:
        silent = [n for n, b in loaded.items() if not getattr(b, "publishes_drop_copy", False)]
        if silent:
            raise BuildSpecError(
                f"--drop-copy: {', '.join(silent)} cannot publish a drop-copy "
                "(docs/dropcopy.md: a build says so with publishes_drop_copy)"
            )
    if options.profile is not None:
        elsewhere = [n for n, b in loaded.items() if getattr(b, "interpreter", None)]
        if elsewhere:
            raise BuildSpecError(
                f"--profile cannot profile {', '.join(elsewhere)}: it runs on another "
                "interpreter (docs/peers.md)"
            )
    return {name: (options.builds[i], b) for i, (name, b) in enumerate(loaded.items())}


ENGINE_MEMORY_FIGURES = ("engine_rss_bytes", "engine_reports")
"""The memory pass's figures (``worker._memory_pass``)."""


def _run_worker(name: str, job: Job, progress: PhaseProgress | None, python: str) -> dict[str, Any]:
    """A build's row: its measure worker, then its memory worker."""
    result = _measure(name, job, progress, python)
    memory, _ = _spawn(name, replace(job, kind="memory"), progress, sample=False, python=python)
    result["memory"].update(memory["memory"])
    return result


def _run_drop_copy_worker(
    row: str,
    job: Job,
    progress: PhaseProgress | None,
    python: str,
    redis: DropCopyServer,
    drop_copy: DropCopyJob,
    *,
    engine_memory: dict[str, Any],
) -> dict[str, Any]:
    """A build's drop-copy row: the build's measure ``job`` publishing in its timed pass,
    the lab's server restarted mid-pass if asked. Its engine memory is the build's own
    row's: the memory pass replays without publishing, so it would measure the same engine
    again."""
    options = job.options
    # only the timed pass publishes: the closed-loop and overhead passes would repeat the
    # build's own row
    job = replace(
        job, options=replace(options, throughput=False, overhead=False), drop_copy=drop_copy
    )
    restart = RestartPlan(redis, options.drop_copy_restart)
    result = _measure(row, job, progress, python, watch=restart.watch)
    result["memory"].update({k: engine_memory[k] for k in ENGINE_MEMORY_FIGURES})
    outcome = restart.outcome()
    if outcome is not None:
        result["drop_copy"]["restart"] = outcome
    return result


def _measure(
    name: str,
    job: Job,
    progress: PhaseProgress | None,
    python: str,
    watch: WorkerWatch | None = None,
) -> dict[str, Any]:
    """One row's measure worker, sampled; its result with its CPU trace attached
    (``cpu-<row>.csv``)."""
    result, cpu_trace = _spawn(name, job, progress, sample=True, python=python, watch=watch)
    if cpu_trace is not None:
        attach_cpu_trace(result, cpu_trace, Path(job.out))
    return result


def _spawn(
    name: str,
    job: Job,
    progress: PhaseProgress | None,
    *,
    sample: bool,
    python: str,
    watch: WorkerWatch | None = None,
) -> tuple[dict[str, Any], Any]:
    """Runs the worker of build ``name`` to completion; returns its result and CPU trace.

    Its job and progress files live in the staging folder (nothing of a run is left outside
    it, however the run ends), and the worker dies with this process (``lifetime``); if
    this process stops waiting for it (an error, SIGINT, SIGTERM), it is killed and reaped
    before the staging folder is removed, so it cannot write there afterwards."""
    staging = Path(job.out)
    spec_path = staging / f".job-{name}-{job.kind}.json"
    job.save(spec_path)
    # Progress comes through shared memory, not a pipe (see progress_channel); stderr goes
    # to a file so that a failing worker's message is kept without anyone reading a pipe.
    channel_path = spec_path.with_suffix(".progress")
    cpu_trace = None
    try:
        with (
            ProgressChannel(channel_path, create=True) as channel,
            tempfile.TemporaryFile("w+", dir=staging) as errors,
            subprocess.Popen(
                [python, "-m", "hotpath_lab.worker", str(spec_path), str(channel_path)],
                stdout=subprocess.DEVNULL,
                stderr=errors,
                preexec_fn=dies_with_parent(),  # the kernel ends it with us
            ) as proc,
        ):
            try:
                with sample_cpu(proc.pid) if sample else contextlib.nullcontext() as cpu:
                    code = _wait(proc, channel, cpu, name, progress, watch)
                    if cpu is not None:
                        cpu_trace = cpu.stop()
            except BaseException:
                proc.kill()
                proc.wait()
                raise
            errors.seek(0)
            stderr = errors.read()
    finally:
        spec_path.unlink(missing_ok=True)
        channel_path.unlink(missing_ok=True)
    if code != 0:
        lines = stderr.strip().splitlines()
        last = lines[-1] if lines else "no error output"
        raise BenchError(f"build {name!r} crashed (worker {how_it_ended(code)}): {last}", stderr)
    result_path = staging / f"{name}.result.json"
    result: dict[str, Any] = json.loads(result_path.read_text())
    result_path.unlink()
    return result, cpu_trace


def _wait(
    proc: subprocess.Popen[bytes],
    channel: ProgressChannel,
    cpu: Any,
    name: str,
    progress: PhaseProgress | None,
    watch: WorkerWatch | None = None,
) -> int:
    """Waits for the worker, passing its progress on (and to ``watch``); returns its exit
    code."""
    while True:
        try:
            code: int | None = proc.wait(timeout=POLL_S)
        except subprocess.TimeoutExpired:
            code = None
        phase, done, total = channel.read()
        if phase:
            if cpu is not None:
                cpu.mark_phase(phase)
            if progress is not None:
                progress(name, phase, done, total)
            if watch is not None:
                watch(phase, done, total)
        if code is not None:
            return code


def ratios(builds: Mapping[str, BuildResult]) -> dict[str, Ratios]:
    """``python ÷ X`` for every other build: how many times slower (or bigger) Python is
    (the rule per figure is ``storage.figures.ratio``)."""
    if "python" not in builds:
        return {}
    base = builds["python"]
    return {  # a drop-copy row is compared with its own build's row (reporting.drop_copy)
        f"python/{name}": python_ratios(base, b)
        for name, b in builds.items()
        if name != "python" and b.drop_copy is None
    }
