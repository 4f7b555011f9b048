"""Where a number was measured: machine, toolchain, build profile, commit (pyperf-style)."""

from __future__ import annotations

import functools
import os
import platform
import shutil
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


def cache_root() -> Path:
    """Where the lab keeps what it can rebuild, outside the repository: ``$HOTPATH_CACHE``,
    else ``$XDG_CACHE_HOME/hotpath``, else ``~/.cache/hotpath`` (scenario files, the gate's
    baselines and probe folder)."""
    root = os.environ.get("HOTPATH_CACHE")
    if root:
        return Path(root)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "hotpath"


def collect(extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Environment facts attached to every run."""
    env: dict[str, Any] = {
        "cpu_model": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "cpu_affinity": sorted(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else None,
        "kernel": platform.release(),
        "os": _os_release(),
        "machine": platform.machine(),
        "hostname": platform.node(),
        "python": sys.version.split()[0],
        "python_implementation": platform.python_implementation(),
        "rustc": _command_version("rustc", "--version"),
        "numpy": _module_version("numpy"),
        "git": git_state(),
        "clocksource": _read("/sys/devices/system/clocksource/clocksource0/current_clocksource"),
        "cpu_governor": _read("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"),
        # a deliberate slowdown of every build (docs/gate.md): a run made with one says so
        "canary": os.environ.get("HOTPATH_CANARY", "").strip() or None,
    }
    env.update(native_build())
    if extra:
        env.update(extra)
    return env


def native_build() -> dict[str, Any]:
    """Version and build profile of both Rust extensions, where built: ``hotpath_rs`` (the
    rust-ffi build; ``build_profile``) and ``hotpath_toolkit`` (the lab's native toolkit,
    which the rust-native build runs in; ``toolkit_build_profile``)."""
    env: dict[str, Any] = {"hotpath_rs": None, "build_profile": None}
    try:
        import hotpath_rs
    except ImportError:
        pass
    else:
        env.update(hotpath_rs=hotpath_rs.__version__, build_profile=hotpath_rs.BUILD_PROFILE)
    env.update(hotpath_toolkit=None, toolkit_build_profile=None)
    try:
        import hotpath_toolkit
    except ImportError:
        pass
    else:
        env.update(
            hotpath_toolkit=hotpath_toolkit.__version__,
            toolkit_build_profile=hotpath_toolkit.BUILD_PROFILE,
        )
    return env


@functools.cache
def git_state() -> dict[str, Any]:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=REPO, capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()

    try:
        sha = git("rev-parse", "HEAD")
        dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.SubprocessError):
        return {"sha": "unknown", "short": "unknown", "dirty": None}
    return {"sha": sha, "short": sha[:10], "dirty": dirty}


def venv_tool(name: str) -> str | None:
    """A command installed beside this interpreter (the lab's venv), else one on PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.is_file() else shutil.which(name)


def _cpu_model() -> str:
    text = _read("/proc/cpuinfo") or ""
    for line in text.splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _os_release() -> str:
    text = _read("/etc/os-release") or ""
    for line in text.splitlines():
        if line.startswith("PRETTY_NAME="):
            return line.split("=", 1)[1].strip('"')
    return platform.platform()


@functools.cache
def _command_version(*cmd: str) -> str | None:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=10, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def _module_version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def _read(path: str) -> str | None:
    try:
        return Path(path).read_text().strip()
    except OSError:
        return None
