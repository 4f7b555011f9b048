"""Both gateways, each test against a fresh process on a free loopback port.

``wire-rust`` is the release binary ``target/release/hotpath-gateway`` (``cargo build --release
-p hotpath-gateway``); its cases skip, saying so, only when that file is absent.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from tests.wire.support import GATEWAYS, RUST_GATEWAY, GatewayProcess, WireClient

import hotpath_asyncio
from hotpath_format import ScenarioMeta, read_events
from hotpath_lab.scenarios import build_scenario

_NEEDS_BINARY = pytest.mark.skipif(not RUST_GATEWAY.exists(), reason=f"{RUST_GATEWAY} is not built")


@pytest.fixture(
    params=[
        pytest.param(name, marks=_NEEDS_BINARY if GATEWAYS[name].build == "wire-rust" else ())
        for name in GATEWAYS
    ]
)
def gateway(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GatewayProcess]:
    process = GatewayProcess(request.param, tmp_path / "gateway.stderr")
    yield process
    process.kill()


@pytest.fixture
def client(gateway: GatewayProcess) -> Iterator[WireClient]:
    c = WireClient(gateway.endpoint)
    yield c
    c.close()


@dataclass(frozen=True)
class Scenario:
    meta: ScenarioMeta
    records: np.ndarray
    reports: np.ndarray
    """The in-process Python build's report stream for ``records``."""


@pytest.fixture(scope="session")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    f = read_events(build_scenario("smoke", out=tmp_path_factory.mktemp("wire") / "smoke.hpe"))
    records = np.array(f.records)
    return Scenario(f.meta, records, hotpath_asyncio.replay(f.meta, records).report_array())


@pytest.fixture(scope="session")
def smoke_head(smoke: Scenario) -> Scenario:
    """The first 3,000 events of smoke: a short session that still has every report kind."""
    records = smoke.records[:3000]
    return Scenario(smoke.meta, records, hotpath_asyncio.replay(smoke.meta, records).report_array())
