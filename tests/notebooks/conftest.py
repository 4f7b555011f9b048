"""The session's shared sample run (see ``tests/hotpath_lab/reporting/sample.py``)."""

import os
from pathlib import Path

import pytest
from tests.hotpath_lab.reporting.sample import shared_run


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shared synthetic run, or the run folder in ``$HOTPATH_NOTEBOOK_RUN`` (CI points
    it at a fresh ``smoke`` bench: ``make notebooks``)."""
    given = os.environ.get("HOTPATH_NOTEBOOK_RUN")
    if given:
        return Path(given)
    return shared_run(tmp_path_factory.getbasetemp())
