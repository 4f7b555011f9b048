"""Fixtures of the tuned build's tests: the smoke scenario, and a collector put back as it
was after every test (a GC policy is process-wide)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from hotpath_format import EventFile, read_events
from hotpath_lab.scenarios import build_scenario


@pytest.fixture(scope="module")
def smoke() -> EventFile:
    return read_events(build_scenario("smoke"))


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    threshold, enabled = gc.get_threshold(), gc.isenabled()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)
    if enabled:
        gc.enable()
