"""The house rules on the Rust side: no crate under ``impls/`` links a crate under ``harness/``.

The rust-ffi build (``hotpath-python``) is the engine and its bindings; the measuring loop,
recorder, noise probe and generator are the lab's (``hotpath-bench``, ``hotpath-scenario``,
``hotpath-toolkit``). ``cargo tree`` gives each crate's resolved normal (non-dev)
dependencies, so a harness crate pulled in through another dependency counts too.
"""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("cargo") is None, reason="cargo is not installed")


def workspace_crates(folder: str) -> set[str]:
    """Package names of the workspace members under ``folder/`` (from ``Cargo.toml``)."""
    members = tomllib.loads((REPO / "Cargo.toml").read_text())["workspace"]["members"]
    return {
        tomllib.loads((REPO / m / "Cargo.toml").read_text())["package"]["name"]
        for m in members
        if m.startswith(f"{folder}/")
    }


def normal_dependencies(crate: str) -> set[str]:
    """Every package ``crate`` links, transitively, without dev or build dependencies."""
    out = subprocess.run(
        ["cargo", "tree", "-p", crate, "-e", "normal", "--prefix", "none", "--format", "{p}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    return {line.split()[0] for line in out.splitlines() if line.strip()} - {crate}


HARNESS = workspace_crates("harness")
BUILDS = workspace_crates("impls")


def test_the_workspace_has_both_sides() -> None:
    assert {"hotpath-bench", "hotpath-scenario", "hotpath-toolkit"} <= HARNESS
    assert {"hotpath-core", "hotpath-python"} <= BUILDS


@pytest.mark.parametrize("crate", sorted(BUILDS))
def test_no_build_crate_links_a_harness_crate(crate: str) -> None:
    linked = normal_dependencies(crate)
    assert not linked & HARNESS, f"{crate} links harness crates {sorted(linked & HARNESS)}"


def test_the_rust_ffi_build_links_the_core_and_its_bindings_only() -> None:
    """The core, the book board its Python readers poll (docs/readers.md), and the Rust
    drop-copy publisher (docs/dropcopy.md)."""
    first_party = {c for c in normal_dependencies("hotpath-python") if c.startswith("hotpath-")}
    assert first_party == {"hotpath-core", "hotpath-board", "hotpath-dropcopy"}


def test_the_check_sees_harness_crates_where_they_are_linked() -> None:
    """The toolkit does link the lab's crates: the parsing above can find them."""
    assert {"hotpath-bench", "hotpath-scenario", "hotpath-core"} <= normal_dependencies(
        "hotpath-toolkit"
    )
