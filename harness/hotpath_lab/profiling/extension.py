"""Copies of the Rust extensions with full debug info, for profiling the Rust builds.

The release profile keeps only line tables (``debug = "line-tables-only"``). py-spy then
resolves the outer, non-inlined functions from the symbol table, but every *inlined*
function — most of the engine after LTO — gets only its bare DWARF name
(``execute_new<Vec<ReportRecord>> (execution.rs:58)``, no ``hotpath_core::`` path), so a
flame graph cannot tell which crate or module a frame is in. The workspace's
``[profile.profiling]`` is the release profile (same optimisation, LTO and codegen units)
plus full debug info, which gives every frame its full path.

``profiling_extension()`` builds such a copy of both extensions — ``hotpath_rs`` (the
rust-ffi build) and ``hotpath_toolkit`` (whose native loop runs the rust-native build) —
with ``maturin build --profile profiling``, unpacks the wheels into one
``<target>/hotpath-profiling/<fingerprint>/site`` and returns that directory; the profile
pass puts it first on ``PYTHONPATH``. The venv's release builds are not touched. The
fingerprint is a hash of the Rust sources, manifests and lock file, so an unchanged tree
reuses the copies and an edited one gets fresh copies.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from hotpath_lab.environment import REPO, venv_tool

EXTENSIONS: dict[str, Path] = {
    "hotpath_rs": Path("impls/rust/hotpath-python/Cargo.toml"),
    "hotpath_toolkit": Path("harness/rust/hotpath-toolkit/Cargo.toml"),
}
"""Python package → the crate that builds it."""
SOURCE_ROOTS = ("impls/rust", "harness/rust")
PROFILE = "profiling"


class ExtensionBuildError(RuntimeError):
    """The profiling copies of the extensions could not be built."""


def source_fingerprint(repo: Path = REPO) -> str:
    """SHA-256 over the paths and contents of every Rust source and manifest."""
    h = hashlib.sha256()
    files = [repo / "Cargo.toml", repo / "Cargo.lock"]
    for root in SOURCE_ROOTS:
        base = repo / root
        if base.is_dir():
            files.extend(
                p
                for p in base.rglob("*")
                if p.is_file()
                and (p.suffix in (".rs", ".toml", ".pyi") or p.name == "__init__.py")
                and "target" not in p.relative_to(repo).parts
            )
    for p in sorted(set(files)):
        if p.is_file():
            h.update(str(p.relative_to(repo)).encode() + b"\0")
            h.update(p.read_bytes())
            h.update(b"\0")
    return h.hexdigest()


def cargo_target_dir(repo: Path = REPO) -> Path:
    return Path(os.environ.get("CARGO_TARGET_DIR", repo / "target"))


def profiling_extension(repo: Path = REPO, *, quiet: bool = True) -> Path:
    """The ``site`` directory holding ``hotpath_rs`` and ``hotpath_toolkit`` built with the
    profiling profile."""
    fingerprint = source_fingerprint(repo)[:16]
    base = cargo_target_dir(repo) / "hotpath-profiling"
    site = base / fingerprint / "site"
    if all((site / package / "__init__.py").is_file() for package in EXTENSIONS):
        return site
    base.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".build-", dir=base) as tmp:
        staging = Path(tmp) / "site"
        for package, manifest in EXTENSIONS.items():
            wheel = _build_wheel(repo, package, manifest, Path(tmp) / package, quiet=quiet)
            with zipfile.ZipFile(wheel) as w:
                w.extractall(staging)
        site.parent.mkdir(parents=True, exist_ok=True)
        os.rename(staging, site)
    for old in base.iterdir():
        if old.is_dir() and old.name != fingerprint and not old.name.startswith("."):
            shutil.rmtree(old, ignore_errors=True)
    return site


def _build_wheel(repo: Path, package: str, manifest: Path, wheels: Path, *, quiet: bool) -> Path:
    """One extension's wheel, built with the profiling profile into ``wheels``."""
    cmd = [
        _maturin(),
        "build",
        "--profile",
        PROFILE,
        "--manifest-path",
        str(repo / manifest),
        "--interpreter",
        sys.executable,
        "--out",
        str(wheels),
    ]
    env = {**os.environ, "PYO3_PYTHON": sys.executable}
    proc = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise ExtensionBuildError(
            f"maturin build --profile {PROFILE} of {package} failed (exit {proc.returncode}):\n"
            + (proc.stderr or proc.stdout).strip()[-3000:]
        )
    if not quiet:
        print(proc.stderr.strip().splitlines()[-1:], file=sys.stderr)
    found = sorted(wheels.glob(f"{package}-*.whl"))
    if not found:
        raise ExtensionBuildError(f"maturin built no {package} wheel into {wheels}")
    return found[-1]


def _maturin() -> str:
    found = venv_tool("maturin")
    if found is None:
        raise ExtensionBuildError("maturin not found (it is in requirements/lock.txt)")
    return found
