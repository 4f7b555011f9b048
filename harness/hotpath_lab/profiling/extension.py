"""A copy of the Rust extension with full debug info, for profiling the Rust builds.

The release profile keeps only line tables (``debug = "line-tables-only"``). py-spy then
resolves the outer, non-inlined functions from the symbol table, but every *inlined*
function — most of the engine after LTO — gets only its bare DWARF name
(``execute_new<Vec<ReportRecord>> (execution.rs:58)``, no ``hotpath_core::`` path), so a
flame graph cannot tell which crate or module a frame is in. The workspace's
``[profile.profiling]`` is the release profile (same optimisation, LTO and codegen units)
plus full debug info, which gives every frame its full path.

``profiling_extension()`` builds that copy with ``maturin build --profile profiling``, unpacks
the wheel under ``<target>/hotpath-profiling/<fingerprint>/site`` and returns that
directory; the profile pass puts it first on ``PYTHONPATH``. The venv's release build is not
touched. The fingerprint is a hash of the Rust sources, manifests and lock file, so an
unchanged tree reuses the copy and an edited one gets a fresh copy.
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

CRATE_MANIFEST = Path("impls/rust/hotpath-python/Cargo.toml")
SOURCE_ROOTS = ("impls/rust", "harness/rust")
PROFILE = "profiling"


class ExtensionBuildError(RuntimeError):
    """The profiling copy of the extension could not be built."""


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
    """The ``site`` directory holding ``hotpath_rs`` built with the profiling profile."""
    fingerprint = source_fingerprint(repo)[:16]
    base = cargo_target_dir(repo) / "hotpath-profiling"
    site = base / fingerprint / "site"
    if (site / "hotpath_rs" / "__init__.py").is_file():
        return site
    base.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".build-", dir=base) as tmp:
        wheels = Path(tmp) / "wheels"
        cmd = [
            _maturin(),
            "build",
            "--profile",
            PROFILE,
            "--manifest-path",
            str(repo / CRATE_MANIFEST),
            "--interpreter",
            sys.executable,
            "--out",
            str(wheels),
        ]
        env = {**os.environ, "PYO3_PYTHON": sys.executable}
        proc = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            raise ExtensionBuildError(
                f"maturin build --profile {PROFILE} failed (exit {proc.returncode}):\n"
                + (proc.stderr or proc.stdout).strip()[-3000:]
            )
        if not quiet:
            print(proc.stderr.strip().splitlines()[-1:], file=sys.stderr)
        found = sorted(wheels.glob("hotpath_rs-*.whl"))
        if not found:
            raise ExtensionBuildError(f"maturin built no hotpath_rs wheel into {wheels}")
        staging = Path(tmp) / "site"
        with zipfile.ZipFile(found[-1]) as wheel:
            wheel.extractall(staging)
        site.parent.mkdir(parents=True, exist_ok=True)
        os.rename(staging, site)
    for old in base.iterdir():
        if old.is_dir() and old.name != fingerprint and not old.name.startswith("."):
            shutil.rmtree(old, ignore_errors=True)
    return site


def _maturin() -> str:
    found = venv_tool("maturin")
    if found is None:
        raise ExtensionBuildError("maturin not found (it is in requirements/lock.txt)")
    return found
