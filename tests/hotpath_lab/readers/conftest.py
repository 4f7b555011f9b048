"""The smoke scenario, built once for the book-readers tests."""

from __future__ import annotations

import pytest

from hotpath_format import EventFile, read_events
from hotpath_lab.scenarios.generate import build_scenario


@pytest.fixture(scope="session")
def smoke() -> EventFile:
    return read_events(build_scenario("smoke", scale=0.2))
