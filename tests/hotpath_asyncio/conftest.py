"""Fixtures for the asyncio build's tests; builders live in ``support.py``."""

from __future__ import annotations

import pytest
from tests.hotpath_asyncio.support import Session, make_meta

from hotpath_format import ScenarioMeta


@pytest.fixture
def meta() -> ScenarioMeta:
    """One instrument (tick 1, lot 1, band 10%), three venues, two generous accounts."""
    return make_meta()


@pytest.fixture
def session(meta: ScenarioMeta) -> Session:
    return Session(meta)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Benchmarks here run only when asked for with ``-m benchmark``."""
    if "benchmark" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="benchmark: run with -m benchmark")
    for item in items:
        if item.get_closest_marker("benchmark") and "hotpath_asyncio" in str(item.path):
            item.add_marker(skip)
