"""Known-answer tests of the measuring harness, through the plug-in interface.

A build with a known service time, and one that stalls for a known time at a known moment,
are driven open loop; the measured percentiles must match the exact single-server queue
answer. The stall test is the coordinated-omission test: every event released during the
stall must be charged for it, so the p90 and p99 are tens of milliseconds while the service
time stays at the spin time.
"""

import numpy as np
import pytest

from hotpath_format import EVENT_DTYPE, ScenarioMeta
from hotpath_lab.drivers.calibration import SpinBuild, expected_latencies
from hotpath_lab.drivers.plugin import Build, Pipeline
from hotpath_lab.drivers.python_loop import run_pass
from hotpath_lab.pacing import Pace

META = ScenarioMeta.from_dict(
    {"schema": 1, "instruments": [], "venues": [{"id": 0, "name": "v"}], "accounts": []}
)


def events(n: int) -> np.ndarray:
    r = np.zeros(n, EVENT_DTYPE)
    r["kind"] = 4  # CANCEL: an order request, so it counts as end-to-end latency
    return r


def measure(build: Build, n: int, rate: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    pipeline = build.create(META, n, stage_timing=False)
    assert isinstance(pipeline, Pipeline)
    t = run_pass(pipeline, events(n), Pace.parse(f"rate:{rate}"))
    latency = (t.end - t.intended).astype(np.int64)
    service = (t.end - t.start).astype(np.int64)
    return latency, service, (t.intended - t.t0).astype(np.int64)


def test_the_calibration_builds_satisfy_the_plugin_protocol() -> None:
    assert isinstance(SpinBuild(1), Build)


def test_known_service_time_is_measured_without_queueing() -> None:
    service_ns, rate, n = 50_000, 5_000.0, 1_500  # 50 µs work every 200 µs: no queue
    latency, service, _ = measure(SpinBuild(service_ns), n, rate)
    p50 = np.percentile(service, 50)
    assert service_ns <= p50 < service_ns + 25_000, p50
    # the driver adds its own small overhead; the median end-to-end stays near the service
    assert service_ns <= np.percentile(latency, 50) < service_ns + 60_000


def test_a_stall_is_charged_to_every_order_released_during_it() -> None:
    """The coordinated-omission test."""
    service_ns, stall_ns, stall_at, rate, n = 20_000, 50_000_000, 500, 10_000.0, 2_000
    latency, service, intended = measure(SpinBuild(service_ns, stall_at, stall_ns), n, rate)
    expected = expected_latencies(intended, service_ns, stall_at, stall_ns)
    for q in (90, 99, 99.9):
        want, got = np.percentile(expected, q), np.percentile(latency, q)
        # tolerance: 10% or 1.5 ms, whichever is larger (timer and scheduler noise)
        assert abs(got - want) <= max(0.10 * want, 1_500_000), (q, got, want)
    # how many orders waited behind the stall: ~stall × rate of them, not just one
    assert np.count_nonzero(latency > 10_000_000) == pytest.approx(
        np.count_nonzero(expected > 10_000_000), rel=0.1
    )
    assert np.percentile(expected, 99) > 40_000_000, "the answer itself is a deep tail"
    # the service time alone hides the stall everywhere but in one event
    assert np.percentile(service, 99) < 2_000_000
    assert service.max() >= stall_ns


def test_closed_loop_hides_what_open_loop_reveals() -> None:
    """Under --pace max the same stall shows up in one event only: why bench uses open loop."""
    build = SpinBuild(20_000, 300, 30_000_000)
    pipeline = build.create(META, 1_000, stage_timing=False)
    t = run_pass(pipeline, events(1_000), Pace.parse("max"))
    latency = (t.end - t.intended).astype(np.int64)
    assert np.count_nonzero(latency > 10_000_000) == 1
