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
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from hotpath_format import EventFile
from hotpath_lab import environment
from hotpath_lab.atomic import atomic_directory, atomic_write_bytes
from hotpath_lab.drivers.builds import BUILTIN
from hotpath_lab.drivers.plugin import BuildFailed, load_builds
from hotpath_lab.inspection import summarize
from hotpath_lab.pacing import Pace
from hotpath_lab.profiling.cpu import attach_cpu_trace, sample_cpu
from hotpath_lab.profiling.profile_pass import ProfileOptions, profile_builds
from hotpath_lab.progress_channel import ProgressChannel
from hotpath_lab.storage import RUN_SCHEMA, figure_at, new_run_id, run_folder
from hotpath_lab.worker import WorkerSpec

PhaseProgress = Callable[[str, str, int, int], None]
"""``progress(build, phase, done, total)``"""


POLL_S = 0.2
"""How often the orchestrator looks at a worker's progress."""


class BenchError(BuildFailed):
    """A worker failed: the message says which build and how it ended, ``detail`` holds
    the worker's error output."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


@dataclass
class BenchOptions:
    builds: list[str]
    pace: str = "recorded"
    speed: float = 1.0
    warmup: int = 50_000
    throughput: bool = True
    overhead: bool = True
    interval_ns: int = 1_000_000_000
    scale: float = 1.0
    seed: int | None = None
    profile: bool = False
    """After the timed workers, a separate py-spy pass per build (``hotpath_lab.profiling``)."""
    profile_seconds: float = 5.0
    profile_rate_hz: int = 250
    jitter_seconds: float = 1.0
    """Noise-floor probe per worker before its passes (``hotpath_lab.worker``); 0 skips it."""

    def validate(self) -> dict[str, str]:
        """Checks every option; returns the builds as name → ``--builds`` spec.

        Raises ``BuildSpecError`` for a build that cannot be loaded, ``ValueError`` otherwise.
        """
        Pace.parse(self.pace, self.speed)
        builds = {name: self.builds[i] for i, name in enumerate(load_builds(self.builds, BUILTIN))}
        if self.warmup < 0:
            raise ValueError(f"warm-up must be >= 0 events, got {self.warmup}")
        if not 0 <= self.jitter_seconds <= 60:
            raise ValueError(f"--jitter-seconds must be in [0, 60], got {self.jitter_seconds}")
        if self.profile and not (self.profile_seconds > 0 and self.profile_rate_hz > 0):
            raise ValueError("--profile-seconds and --profile-rate must be positive")
        return builds


def run_bench(
    scenario: EventFile,
    options: BenchOptions,
    results_root: Path,
    *,
    progress: PhaseProgress | None = None,
) -> Path:
    """Runs every build on ``scenario`` and returns the new run folder."""
    builds = options.validate()
    env = environment.collect()
    run_id = new_run_id(env["git"]["short"])
    summary = summarize(scenario)
    final = run_folder(results_root, summary.name or scenario.path.stem, run_id)
    started = time.time()
    with atomic_directory(final) as staging:
        results = {}
        for name, spec in builds.items():
            results[name] = _run_worker(name, spec, scenario, options, staging, progress)
        profiles = None
        if options.profile:  # never during the timed pass: a pass of its own, per build
            profile_options = ProfileOptions(
                seconds=options.profile_seconds,
                rate_hz=options.profile_rate_hz,
                warmup=options.warmup,
            )
            profiles = profile_builds(
                scenario.path, builds, staging, profile_options, results, progress
            )
        digests = {b: r["digest"] for b, r in results.items()}
        agree = len(set(digests.values())) == 1 and all(
            r.get("throughput", {}).get("digest", r["digest"]) == r["digest"]
            for r in results.values()
        )
        run = {
            "schema": RUN_SCHEMA,
            "run_id": run_id,
            "created_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
            "duration_s": time.time() - started,
            "scenario": {
                "name": summary.name,
                "path": str(scenario.path),
                "sha256": summary.digest,
                "events": summary.events,
                "order_requests": summary.order_requests,
                "market_data_events": summary.market_data_events,
                "span_s": summary.duration_s,
                "peak_rate_per_s": summary.peak_rate,
                "median_rate_per_s": summary.median_rate,
                "source": summary.source,
            },
            "options": asdict(options),
            "environment": env,
            "builds": results,
            "digests": digests,
            "agree": agree,
            "ratios": ratios(results),
        }
        if profiles is not None:
            run["profiles"] = profiles
        atomic_write_bytes(staging / "run.json", json.dumps(run, indent=2, sort_keys=True).encode())
        # imported here, not at the top: pandas and matplotlib would swell this process, and
        # a worker's ru_maxrss starts from its parent's resident size at fork
        from hotpath_lab.reporting.report import write_report_safely

        write_report_safely(staging, results_root)  # report.md + plots/, inside the staging dir
    return final


def _run_worker(
    name: str,
    spec_text: str,
    scenario: EventFile,
    options: BenchOptions,
    staging: Path,
    progress: PhaseProgress | None,
) -> dict[str, Any]:
    spec = WorkerSpec(
        build=spec_text,
        scenario_path=str(scenario.path),
        out_dir=str(staging),
        pace=options.pace,
        speed=options.speed,
        warmup=options.warmup,
        throughput=options.throughput,
        overhead=options.overhead,
        interval_ns=options.interval_ns,
        jitter_seconds=options.jitter_seconds,
    )
    result, cpu_trace = _spawn(name, spec, progress, sample=True)
    memory, _ = _spawn(name, replace(spec, mode="memory"), progress, sample=False)
    result["memory"].update(memory["memory"])
    if cpu_trace is not None:
        attach_cpu_trace(result, cpu_trace, staging)  # cpu-<build>.csv
    return result


def _spawn(
    name: str, spec: WorkerSpec, progress: PhaseProgress | None, *, sample: bool
) -> tuple[dict[str, Any], Any]:
    """Runs the worker of build ``name`` to completion; returns its result and CPU trace."""
    staging = Path(spec.out_dir)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(asdict(spec), f)
        spec_path = Path(f.name)
    # Progress comes through shared memory, not a pipe (see progress_channel); stderr goes
    # to a file so that a failing worker's message is kept without anyone reading a pipe.
    channel_path = spec_path.with_suffix(".progress")
    cpu_trace = None
    try:
        with (
            ProgressChannel(channel_path, create=True) as channel,
            tempfile.TemporaryFile("w+") as errors,
            subprocess.Popen(
                [sys.executable, "-m", "hotpath_lab.worker", str(spec_path), str(channel_path)],
                stdout=subprocess.DEVNULL,
                stderr=errors,
            ) as proc,
            sample_cpu(proc.pid) if sample else contextlib.nullcontext() as cpu,
        ):
            while True:
                try:
                    code = proc.wait(timeout=POLL_S)
                except subprocess.TimeoutExpired:
                    code = None
                phase, done, total = channel.read()
                if phase:
                    if cpu is not None:
                        cpu.mark_phase(phase)
                    if progress is not None:
                        progress(name, phase, done, total)
                if code is not None:
                    break
            if cpu is not None:
                cpu_trace = cpu.stop()
            errors.seek(0)
            stderr = errors.read()
    finally:
        spec_path.unlink(missing_ok=True)
        channel_path.unlink(missing_ok=True)
    if code != 0:
        lines = stderr.strip().splitlines()
        last = lines[-1] if lines else "no error output"
        raise BenchError(f"build {name!r} crashed (worker exit {code}): {last}", stderr)
    result_path = staging / f"{name}.result.json"
    result: dict[str, Any] = json.loads(result_path.read_text())
    result_path.unlink()
    return result, cpu_trace


def ratios(results: dict[str, dict[str, Any]]) -> dict[str, dict[str, float | None]]:
    """``python ÷ X`` for every other build: how many times slower (or bigger) Python is."""
    if "python" not in results:
        return {}
    base = results["python"]
    out: dict[str, dict[str, float | None]] = {}
    for name, r in results.items():
        if name == "python":
            continue
        out[f"python/{name}"] = {
            "e2e_p50": _ratio(base, r, ("latency_ns", "e2e", "p50")),
            "e2e_p99": _ratio(base, r, ("latency_ns", "e2e", "p99")),
            "e2e_p999": _ratio(base, r, ("latency_ns", "e2e", "p999")),
            "e2e_max": _ratio(base, r, ("latency_ns", "e2e", "max")),
            "service_p99": _ratio(base, r, ("latency_ns", "service", "p99")),
            "tick_to_book_p99": _ratio(base, r, ("latency_ns", "tick_to_book", "p99")),
            "throughput_orders": _inverse_ratio(base, r, ("throughput", "orders_per_s")),
            "cpu_per_order": _ratio(base, r, ("throughput", "cpu_per_order_ns")),
            "peak_rss": _ratio(base, r, ("memory", "peak_rss_bytes")),
            "engine_memory": _ratio(base, r, ("memory", "engine_rss_bytes")),
        }
    return out


def _ratio(a: dict[str, Any], b: dict[str, Any], path: tuple[str, ...]) -> float | None:
    x, y = figure_at(a, path), figure_at(b, path)
    return x / y if x is not None and y else None


def _inverse_ratio(a: dict[str, Any], b: dict[str, Any], path: tuple[str, ...]) -> float | None:
    x, y = figure_at(a, path), figure_at(b, path)
    return y / x if x and y is not None else None
