"""The profile pass: py-spy starts the profile target, and its samples become files.

This pass is separate from the timed pass and runs after it: a sampling profiler stops the
process it samples (``--native`` needs the threads paused to unwind them), which would
show up in the latency figures. py-spy is started as the *parent* of the process it
samples (``py-spy record -- python -m hotpath_lab.profiling.target``), so no attaching to
another process and no ptrace permission beyond one's own child is needed.

Per build the pass writes into the run folder:

- ``flame-<build>.svg`` — flame graph of the replays, coloured by owner;
- ``profile-<build>.speedscope.json`` — the same samples for https://www.speedscope.app;
- ``profile-<build>.folded`` — collapsed stacks with readable names (for diffs and other tools);

and returns a summary for ``run.json`` (samples, where the time goes, overhead, digest).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from hotpath_lab.atomic import atomic_write_bytes
from hotpath_lab.environment import venv_tool
from hotpath_lab.lifetime import dies_with_parent
from hotpath_lab.options import Job, ProfileSettings, RunOptions
from hotpath_lab.profiling.attribution import attribute
from hotpath_lab.profiling.extension import ExtensionBuildError, profiling_extension
from hotpath_lab.profiling.flamegraph import render_svg
from hotpath_lab.profiling.speedscope import speedscope_json
from hotpath_lab.profiling.stacks import focus_on_replays, parse_collapsed, to_collapsed

Progress = Callable[[str, str, int, int], None]
EXTENSION_BUILDS = ("hybrid-risk", "hybrid-risk-exec", "rust-ffi", "rust-native")
"""The builds that run code of the ``hotpath_rs`` extension: profiled against its profiling
copy (symbols kept), so that their Rust frames have names."""


class ProfileError(RuntimeError):
    """py-spy or the profile target failed; the message carries their output."""


def pyspy_executable() -> str:
    found = venv_tool("py-spy")
    if found is None:
        raise ProfileError("py-spy not found (install it: it is in requirements/lock.txt)")
    return found


def pyspy_version() -> str:
    out = subprocess.run(
        [pyspy_executable(), "--version"], capture_output=True, text=True, check=False
    )
    return out.stdout.strip() or "py-spy (unknown version)"


def pyspy_command(raw_out: Path, rate_hz: int, target: Sequence[str]) -> list[str]:
    # --native: Rust and C frames under their Python callers (also the collector's
    # frames for the Python build); --function: one frame per function, not per line.
    return [
        pyspy_executable(),
        "record",
        "--format",
        "raw",
        "--output",
        str(raw_out),
        "--rate",
        str(rate_hz),
        "--native",
        "--function",
        "--",
        *target,
    ]


def _target_command(spec_path: Path) -> list[str]:
    return [sys.executable, "-m", "hotpath_lab.profiling.target", str(spec_path)]


def _run_target(
    build: str,
    cmd: list[str],
    env: dict[str, str],
    result_path: Path,
    what: str,
) -> dict[str, Any]:
    proc = subprocess.run(
        cmd, env=env, capture_output=True, text=True, check=False,
        preexec_fn=dies_with_parent(),  # the kernel ends it with us
    )  # fmt: skip
    if proc.returncode != 0 or not result_path.is_file():
        output = (proc.stderr + proc.stdout).strip()[-4000:]
        raise ProfileError(f"{what} of {build!r} failed (exit {proc.returncode}):\n{output}")
    result: dict[str, Any] = json.loads(result_path.read_text())
    result_path.unlink()
    return result


def profile_build(
    build: str,
    scenario_path: Path,
    out_dir: Path,
    options: RunOptions,
    *,
    spec: str | None = None,
    extension_site: Path | None = None,
) -> dict[str, Any]:
    """Profiles the build named ``build`` (loaded from ``spec``, default its name) on the
    scenario; writes its files into ``out_dir``.

    ``options.profile`` says how (its defaults when ``None``); with its ``control`` the
    target also runs once without the profiler, right after, to measure what sampling costs.
    """
    settings = options.profile or ProfileSettings()
    # inside out_dir (a run's staging folder): nothing of a run is left outside it
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".profile-", dir=out_dir) as tmp:
        work = Path(tmp)
        target = Job(
            kind="profile", build=spec or build, scenario_path=str(scenario_path),
            out=str(work / "result.json"), options=options,
        )  # fmt: skip
        spec_path = work / "job.json"
        target.save(spec_path)
        raw = work / "stacks.txt"
        env = dict(os.environ)
        if extension_site is not None:
            env["PYTHONPATH"] = os.pathsep.join(
                p for p in (str(extension_site), env.get("PYTHONPATH", "")) if p
            )
        result_path = Path(target.out)
        profiled = _run_target(
            build,
            pyspy_command(raw, settings.rate_hz, _target_command(spec_path)),
            env,
            result_path,
            "py-spy profile",
        )
        if not raw.is_file():
            raise ProfileError(f"py-spy wrote no samples for {build!r}")
        stacks = parse_collapsed(raw.read_text(), source=f"py-spy output for {build}")
        control = (
            _run_target(build, _target_command(spec_path), env, result_path, "control run")
            if settings.control
            else None
        )
    focused = focus_on_replays(stacks)
    if focused.samples == 0:
        raise ProfileError(
            f"profiling {build!r}: py-spy took no samples inside the replays "
            f"({focused.outside_samples} outside them); raise --profile-seconds"
        )
    attribution = attribute(focused.stacks)
    files = {
        "flame_svg": f"flame-{build}.svg",
        "speedscope": f"profile-{build}.speedscope.json",
        "folded": f"profile-{build}.folded",
    }
    title = f"{build}: where the time goes while replaying the scenario (closed loop)"
    subtitle = (
        f"{focused.samples:,} samples at {settings.rate_hz} Hz over "
        f"{profiled['replay_s']:.1f} s of replays ({profiled['passes']} replay(s)); "
        f"engine {100 * attribution.engine_share:.1f}% of samples. Hover a frame for its share."
    )
    svg = render_svg(focused.stacks, title, subtitle)
    atomic_write_bytes(out_dir / files["flame_svg"], svg.encode())
    atomic_write_bytes(
        out_dir / files["speedscope"],
        speedscope_json(focused.stacks, f"hotpath {build}").encode(),
    )
    atomic_write_bytes(out_dir / files["folded"], to_collapsed(focused.stacks).encode())
    control_eps = control["events_per_s"] if control else None
    return {
        "build": build,
        "files": files,
        "sampler": f"{pyspy_version()} record --native --function",
        "rate_hz": settings.rate_hz,
        "replay_s": profiled["replay_s"],
        "passes": profiled["passes"],
        "events_per_s": profiled["events_per_s"],
        "control_events_per_s": control_eps,
        "overhead": 1 - profiled["events_per_s"] / control_eps if control_eps else None,
        "digest": profiled["digest"],
        "extension": profiled.get("extension"),
        "samples": focused.samples,
        "outside_samples": focused.outside_samples,
        "native_only_samples": focused.native_only_samples,
        "attribution": attribution.to_json(),
    }


def profile_builds(
    scenario_path: Path,
    builds: dict[str, str],
    out_dir: Path,
    options: RunOptions,
    results: dict[str, dict[str, Any]] | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Profiles every build in turn (``builds``: name → ``--builds`` spec); returns
    ``run.json``'s ``profiles`` section.

    ``results`` (the timed workers' results) give each build's report digest, which the
    profiled replay must reproduce, and its throughput-pass figure for reference.
    """
    site: Path | None = None
    note = None
    settings = options.profile or ProfileSettings()
    if settings.extension == "profiling" and any(b in EXTENSION_BUILDS for b in builds):
        try:
            site = profiling_extension()
        except ExtensionBuildError as exc:
            first = str(exc).splitlines()[0]
            lines = [ln.strip() for ln in str(exc).splitlines() if ln.lstrip().startswith("error")]
            note = (
                "the profiling copies of the extensions could not be built, so the installed "
                f"ones were profiled (inlined Rust frames may lack their paths): {first}"
                + (f" — {lines[0]}" if lines else "")
            )
    profiles: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for build, spec in builds.items():
        if progress is not None:
            progress(build, "profile", 0, 1)
        try:
            summary = profile_build(
                build,
                scenario_path,
                out_dir,
                options,
                spec=spec,
                extension_site=site if build in EXTENSION_BUILDS else None,
            )
        except ProfileError as exc:
            # the timed results are complete and worth keeping; the report shows the error
            errors[build] = str(exc)
            print(f"warning: {exc}", file=sys.stderr)
            continue
        timed = (results or {}).get(build, {})
        summary["throughput_pass_events_per_s"] = timed.get("throughput", {}).get("events_per_s")
        summary["digest_matches_timed"] = (
            summary["digest"] == timed["digest"] if "digest" in timed else None
        )
        profiles[build] = summary
        if progress is not None:
            progress(build, "profile", 1, 1)
    return {"note": note, "builds": profiles, "errors": errors}
