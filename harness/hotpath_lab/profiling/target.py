"""The process a profiler samples: one build replaying a scenario, nothing else.

``python -m hotpath_lab.profiling.target JOB.json`` is started *by* py-spy (which the
harness starts), never attached to: it loads the scenario, warms the build up like the
timed worker does, then replays the whole scenario closed loop (``--pace max``) through a
fresh engine again and again until ``seconds`` of replaying have passed, so even a small
scenario gives enough samples. Each replay runs inside ``measured_replay``; the profile is
cut just below that frame, leaving out interpreter start-up, imports, file reading, and
the creation, report read-out and collection of each engine between replays.

The same target runs once more without the profiler (the control): the two events-per-
second figures give the profiler's overhead. The replay is the worker's throughput pass
(closed loop, no stage stamps) and its report digest must equal the timed pass's: the
profiled code is the measured code.
"""

from __future__ import annotations

import gc
import importlib
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from hotpath_format import ScenarioMeta, read_events, report_digest
from hotpath_lab.atomic import atomic_write_bytes
from hotpath_lab.drivers.builds import BUILTIN, RustFfiBuild
from hotpath_lab.drivers.native import NativeBuild
from hotpath_lab.drivers.plugin import AnyBuild, Pipeline, SelfDrivenBuild, load_build
from hotpath_lab.drivers.python_loop import run_pass
from hotpath_lab.options import Job, ProfileSettings
from hotpath_lab.pacing import Pace

MAX = Pace.parse("max")


MAX_PASSES = 10_000
"""A bound on replays of a tiny scenario, whatever ``seconds`` asks."""


def measured_replay(
    build: AnyBuild, pipeline: Pipeline | None, meta: ScenarioMeta, records: np.ndarray
) -> Any:
    """One closed-loop replay through a fresh engine: the only part the profile keeps.

    Returns a self-driven build's reports (``rust-native``) or ``None``; the profile is cut
    just below this frame (``stacks.REPLAY_FRAME``), so do not rename it alone.
    """
    if isinstance(build, SelfDrivenBuild):
        return build.drive(meta, records, MAX, stage_timing=False)[1]
    assert pipeline is not None
    run_pass(pipeline, records, MAX)
    return None


def replays(
    build: AnyBuild, meta: ScenarioMeta, records: np.ndarray, seconds: float, max_passes: int
) -> tuple[int, float, str]:
    """Replays until ``seconds`` of replay time; (passes, replay seconds, first digest).

    Creating each engine, reading its reports and collecting it afterwards happen here,
    outside ``measured_replay``, as they happen outside the timed pass in the worker.
    """
    passes, busy, digest = 0, 0.0, ""
    while passes < max(1, max_passes) and (passes == 0 or busy < seconds):
        pipeline = (
            None
            if isinstance(build, SelfDrivenBuild)
            else build.create(meta, len(records), stage_timing=False)
        )
        t = time.perf_counter()
        reports = measured_replay(build, pipeline, meta, records)
        busy += time.perf_counter() - t
        if passes == 0:
            digest = report_digest(reports if pipeline is None else pipeline.report_array())
        passes += 1
        del pipeline, reports
        gc.collect()
    return passes, busy, digest


def warm_up(build: AnyBuild, meta: ScenarioMeta, records: np.ndarray, limit: int) -> None:
    if isinstance(build, SelfDrivenBuild):
        build.drive(meta, records, MAX, stage_timing=False, limit=limit)
    else:
        run_pass(build.create(meta, len(records), stage_timing=False), records, MAX, limit=limit)


def run(job: Job) -> dict[str, Any]:
    scenario = read_events(job.scenario_path)
    records, meta = scenario.records, scenario.meta
    build = load_build(job.build, BUILTIN)
    warmup = job.options.warmup
    if warmup > 0:
        warm_up(build, meta, records, warmup)
    gc.collect()
    seconds = (job.options.profile or ProfileSettings()).seconds
    cpu0, wall0 = time.process_time(), time.perf_counter()
    passes, busy, digest = replays(build, meta, records, seconds, MAX_PASSES)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    result: dict[str, Any] = {
        "build": job.build,
        "passes": passes,
        "events": passes * len(records),
        "wall_s": wall,
        "replay_s": busy,
        "cpu_s": cpu,
        "events_per_s": passes * len(records) / max(busy, 1e-12),
        "digest": digest,
    }
    module = {RustFfiBuild: "hotpath_rs", NativeBuild: "hotpath_toolkit"}.get(type(build))
    if module is not None:
        # the extension the build runs in: the rust-ffi build, or the toolkit's native loop
        ext = importlib.import_module(module)
        result["extension"] = {
            "module": ext.__name__,
            "path": str(Path(str(ext.__file__)).parent),
            "build_profile": ext.BUILD_PROFILE,
        }
    return result


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m hotpath_lab.profiling.target JOB.json", file=sys.stderr)
        return 2
    job = Job.load(args[0])
    result = run(job)
    atomic_write_bytes(Path(job.out), json.dumps(result, indent=2).encode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
