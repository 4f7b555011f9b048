"""The session's shared sample run (see ``tests/hotpath_lab/reporting/sample.py``)."""

from pathlib import Path

import pytest
from tests.hotpath_lab.reporting.sample import shared_run


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_run(tmp_path_factory.getbasetemp())
