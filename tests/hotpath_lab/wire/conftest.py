"""Real wire runs shared by the wire tests: one ``hotpath bench --mode wire`` of a small
scenario with both gateways and both floors, and one short sweep (made on first use, by
the real ``hotpath-gateway``, ``hotpath-loadgen`` and Python gateway; a few seconds of
traffic each)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.hotpath_lab.reporting.sample import write_sample_scenario

from hotpath_lab.cli import main
from hotpath_lab.wire.affinity import default_placement
from hotpath_lab.wire.loadgen import LoadgenRequest
from hotpath_lab.wire.session import Measurement, measure
from hotpath_lab.wire.targets import TARGETS, GatewayShape

SPEED = 3.0
"""The sample's 2 s of events in under a second per target."""


@pytest.fixture(scope="session")
def wire_scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sample_scenario(tmp_path_factory.getbasetemp() / "wire-sample.hpe", seconds=2.0)


@pytest.fixture(scope="session")
def wire_results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.getbasetemp() / "wire-results"


@pytest.fixture(scope="session")
def wire_run(wire_scenario: Path, wire_results: Path) -> Path:
    """The folder of one real wire run of the sample (it must exit 0: digests equal)."""
    code = main(
        [
            "bench", "--mode", "wire", "--scenario", str(wire_scenario),
            "--builds", "wire-rust,wire-python", "--speed", str(SPEED), "--warmup", "1000",
            "--results-dir", str(wire_results),
        ]
    )  # fmt: skip
    assert code == 0, "the wire run failed or a gateway's digest differs"
    (folder,) = [p for p in (wire_results / "sample").iterdir() if (p / "run.json").is_file()]
    return folder


@pytest.fixture(scope="session")
def wire_sweep(wire_scenario: Path, wire_results: Path) -> Path:
    """A real sweep of wire-rust and the ZeroMQ floor at three rates."""
    code = main(
        [
            "sweep", "--scenario", str(wire_scenario), "--builds", "wire-rust,zmq-echo",
            "--rates", "2k,5k,10k", "--step-seconds", "1", "--warmup", "500",
            "--results-dir", str(wire_results),
        ]
    )  # fmt: skip
    assert code == 0
    (folder,) = (wire_results / "sample").glob("sweep-*")
    return folder


@pytest.fixture(scope="session")
def overload(wire_scenario: Path, wire_results: Path) -> Measurement:
    """A real step wire-rust cannot keep up with: one event per frame (``--max-batch 1``)
    offered at 2M events/s, so frames queue in the generator and the backlog grows."""
    request = LoadgenRequest(
        scenario=wire_scenario,
        connect="",
        out=wire_results / "overload",
        label="overload",
        target="gateway",
        pace="rate:2000000",
        warmup=200,
        max_batch=1,
        cpu=default_placement().loadgen,
    )
    return measure(
        TARGETS["wire-rust"],
        GatewayShape(),
        request,
        core=default_placement().gateway,
        expected_s=2.0,
    )
