"""Shared pytest fixtures: repository paths and the shared-data location."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Generating large random streams is slow on a busy two-core machine; that is not a
# failure. Per-test @settings only override what they name, so this applies everywhere.
settings.register_profile(
    "hotpath",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("hotpath")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
GOLDEN = REPO / "tests" / "golden"


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def golden_dir() -> Path:
    return GOLDEN


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests never read or fill the user's scenario cache (session-wide, so module-scoped
    fixtures that build scenarios see it too)."""
    old = os.environ.get("HOTPATH_CACHE")
    os.environ["HOTPATH_CACHE"] = str(tmp_path_factory.getbasetemp() / "hotpath-cache")
    yield
    if old is None:
        os.environ.pop("HOTPATH_CACHE", None)
    else:
        os.environ["HOTPATH_CACHE"] = old
