"""Shared pytest fixtures: repository paths and the shared-data location."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
GOLDEN = REPO / "tests" / "golden"


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def golden_dir() -> Path:
    return GOLDEN


@pytest.fixture(autouse=True)
def _isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests never read or fill the user's scenario cache."""
    monkeypatch.setenv("HOTPATH_CACHE", str(tmp_path_factory.getbasetemp() / "hotpath-cache"))
