"""A real redis-server for these tests, on a free loopback port, for the whole session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.dropcopy_support import lab_redis

from hotpath_lab.dropcopy.server import RedisServer


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    yield from lab_redis(tmp_path_factory.mktemp("redis"))
