"""The house rules, checked: a build depends on the record contract and nothing else of the lab.

README's "Architecture" section draws the same map. Imports are read from the source (AST),
so a lazy import inside a function counts as much as one at the top of a module. The Rust
side of the rule (no crate under ``impls/`` links a crate under ``harness/``) is in
``test_crates.py``.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
STDLIB = frozenset(sys.stdlib_module_names) | {"__future__"}

# package -> (its source directory, the third-party/first-party top-level imports it may use)
PACKAGES: dict[str, tuple[Path, frozenset[str]]] = {
    "hotpath_format": (
        REPO / "impls/python/hotpath-format/hotpath_format",
        frozenset({"numpy"}),
    ),
    # the Python build's gateway (wire-python) speaks ZeroMQ through pyzmq, and publishes
    # its drop-copy with the Python publisher
    "hotpath_asyncio": (
        REPO / "impls/python/hotpath-asyncio/hotpath_asyncio",
        frozenset({"numpy", "hotpath_format", "zmq", "hotpath_dropcopy"}),
    ),
    # the Python builds' drop-copy publisher: the record contract and Redis, no build
    "hotpath_dropcopy": (
        REPO / "impls/python/hotpath-dropcopy/hotpath_dropcopy",
        frozenset({"numpy", "hotpath_format", "redis"}),
    ),
    # a hybrid build of the migration phases is made of the two builds, nothing else
    "hotpath_hybrid": (
        REPO / "impls/python/hotpath-hybrid/hotpath_hybrid",
        frozenset({"numpy", "hotpath_format", "hotpath_asyncio", "hotpath_rs"}),
    ),
    # the tuned Python build: the Python build with parts swapped, and what a Python team
    # reaches for first (uvloop), nothing of Rust
    "hotpath_tuned": (
        REPO / "impls/python/hotpath-tuned/hotpath_tuned",
        frozenset({"numpy", "hotpath_format", "hotpath_asyncio", "hotpath_dropcopy", "uvloop"}),
    ),
    "hotpath_rs": (
        REPO / "impls/rust/hotpath-python/python/hotpath_rs",
        frozenset({"numpy", "hotpath_format"}),
    ),
    # the lab's native toolkit is harness-side, but as a distribution of its own it keeps to
    # the contract too: the lab imports it, never the other way round
    "hotpath_toolkit": (
        REPO / "harness/rust/hotpath-toolkit/python/hotpath_toolkit",
        frozenset({"numpy", "hotpath_format"}),
    ),
}
DISTRIBUTION = {"zmq": "pyzmq"}
"""Import names whose distribution (what ``dependencies`` lists) is named otherwise."""
HARNESS_PACKAGES = frozenset({"hotpath_lab", "hotpath_toolkit"})
"""What no build may import: the lab and its native toolkit."""


def top_level_imports(path: Path) -> set[str]:
    """Top-level package of every absolute import in one source file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name.partition(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.partition(".")[0])
    return found


def sources(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py*") if p.suffix in (".py", ".pyi"))


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_package_imports_only_what_it_may(package: str) -> None:
    folder, allowed = PACKAGES[package]
    files = sources(folder)
    assert files, f"{folder} holds no sources"
    offending = {
        f"{path.relative_to(REPO)}: {name}"
        for path in files
        for name in top_level_imports(path) - STDLIB - allowed - {package}
    }
    assert not offending, f"{package} imports beyond its contract: {sorted(offending)}"


def test_nothing_under_impls_imports_the_harness() -> None:
    offending = [
        f"{path.relative_to(REPO)}: {sorted(top_level_imports(path) & HARNESS_PACKAGES)}"
        for path in sources(REPO / "impls")
        if top_level_imports(path) & HARNESS_PACKAGES
    ]
    assert not offending, f"builds import the harness: {offending}"


@pytest.mark.parametrize(
    ("pyproject", "package"),
    [
        ("impls/python/hotpath-format/pyproject.toml", "hotpath_format"),
        ("impls/python/hotpath-asyncio/pyproject.toml", "hotpath_asyncio"),
        ("impls/python/hotpath-hybrid/pyproject.toml", "hotpath_hybrid"),
        ("impls/python/hotpath-tuned/pyproject.toml", "hotpath_tuned"),
        ("impls/python/hotpath-dropcopy/pyproject.toml", "hotpath_dropcopy"),
        ("impls/rust/hotpath-python/pyproject.toml", "hotpath_rs"),
        ("harness/rust/hotpath-toolkit/pyproject.toml", "hotpath_toolkit"),
    ],
)
def test_each_distribution_declares_what_it_imports(pyproject: str, package: str) -> None:
    """An import of another first-party package must be a declared dependency."""
    declared = {
        dep.split(";")[0].split(">")[0].split("=")[0].split("<")[0].strip().replace("-", "_")
        for dep in tomllib.loads((REPO / pyproject).read_text())["project"]["dependencies"]
    }
    allowed = {DISTRIBUTION.get(name, name) for name in PACKAGES[package][1]}
    assert allowed <= declared, f"{pyproject} does not declare {sorted(allowed - declared)}"


def test_the_contract_checker_can_fail(tmp_path: Path) -> None:
    """The AST reader sees lazy imports inside functions (the checks above rely on it)."""
    src = tmp_path / "m.py"
    src.write_text(
        "def f():\n    from hotpath_lab.storage import load_run\n    import numpy.linalg\n"
    )
    assert top_level_imports(src) == {"hotpath_lab", "numpy"}
