"""The profiling copies of the extensions: fingerprinted by the Rust sources, reused when built."""

from pathlib import Path

import pytest

from hotpath_lab.profiling import extension


def fake_repo(root: Path) -> Path:
    (root / "impls/rust/core/src").mkdir(parents=True)
    (root / "harness/rust").mkdir(parents=True)
    (root / "Cargo.toml").write_text("[workspace]\n")
    (root / "impls/rust/core/src/lib.rs").write_text("pub fn f() {}\n")
    (root / "impls/rust/core/README.md").write_text("not a source\n")
    return root


def test_the_fingerprint_follows_sources_and_ignores_other_files(tmp_path: Path) -> None:
    repo = fake_repo(tmp_path)
    first = extension.source_fingerprint(repo)
    (repo / "impls/rust/core/README.md").write_text("edited\n")
    assert extension.source_fingerprint(repo) == first
    (repo / "impls/rust/core/src/lib.rs").write_text("pub fn f() { }\n")
    assert extension.source_fingerprint(repo) != first


def test_an_existing_copy_for_the_same_sources_is_reused_without_building(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = fake_repo(tmp_path / "repo")
    monkeypatch.setenv("CARGO_TARGET_DIR", str(tmp_path / "target"))
    fp = extension.source_fingerprint(repo)[:16]
    site = tmp_path / "target" / "hotpath-profiling" / fp / "site"
    for package in ("hotpath_rs", "hotpath_toolkit"):
        (site / package).mkdir(parents=True)
        (site / package / "__init__.py").write_text("")

    def no_build(*_: object, **__: object) -> None:
        raise AssertionError("must not build")

    monkeypatch.setattr(extension.subprocess, "run", no_build)
    assert extension.profiling_extension(repo) == site


def test_a_copy_missing_one_of_the_two_extensions_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = fake_repo(tmp_path / "repo")
    monkeypatch.setenv("CARGO_TARGET_DIR", str(tmp_path / "target"))
    fp = extension.source_fingerprint(repo)[:16]
    site = tmp_path / "target" / "hotpath-profiling" / fp / "site"
    (site / "hotpath_rs").mkdir(parents=True)
    (site / "hotpath_rs" / "__init__.py").write_text("")
    with pytest.raises(extension.ExtensionBuildError, match="of hotpath_rs failed"):
        extension.profiling_extension(repo)  # the toolkit is missing: both are built again


def test_a_failed_build_names_the_profile_and_shows_cargos_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = fake_repo(tmp_path / "repo")
    monkeypatch.setenv("CARGO_TARGET_DIR", str(tmp_path / "target"))
    with pytest.raises(
        extension.ExtensionBuildError, match="--profile profiling of hotpath_rs failed"
    ):
        extension.profiling_extension(repo)  # no crate at the manifest path: maturin fails
