"""Both gateways offered twice the highest rate each sustains (docs/wire.md's knee:
wire-rust 2M events/s, wire-python 200k), session after session for a few seconds: every
event's reports arrive exactly once (both digests and the count equal the in-process
replay's), the overload shows as backpressure (the generator achieves less than it offers
and never has more than its window of 2 frames outstanding), and the gateway's memory does
not grow with the sessions. The 60 s measured run is ``overload.py``'s (docs/reliability.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.reliability.overload import run_overload

from hotpath_lab.scenarios import build_scenario
from hotpath_lab.wire.binaries import GATEWAY, LOADGEN, binary

KNEE_PER_S = {"wire-rust": 2_000_000, "wire-python": 200_000}
SECONDS = 3.0
WINDOW = 2
RSS_GROWTH_BOUND_KB = 32 * 1024
"""Slack for the allocators over the first session's footprint; a gateway that kept
anything per session (reports, orders, a queue) grows past it within a few sessions."""

pytestmark = pytest.mark.skipif(
    not (binary(GATEWAY).exists() and binary(LOADGEN).exists()),
    reason="the wire programs are not built (make setup)",
)


@pytest.mark.parametrize("target", sorted(KNEE_PER_S))
def test_twice_the_knee_loses_nothing_and_stays_bounded(target: str, tmp_path: Path) -> None:
    scenario = build_scenario("smoke", out=tmp_path / "smoke.hpe")
    rate = 2 * KNEE_PER_S[target]
    result = run_overload(target, scenario, rate, SECONDS, tmp_path / "out")
    sessions = result.sessions
    assert sessions, "no session ran"
    assert all(s.agrees for s in sessions), [s for s in sessions if not s.agrees]
    assert all(s.in_flight_max <= WINDOW for s in sessions)
    assert any(s.achieved_per_s < s.offered_per_s for s in sessions), (
        f"{target} kept up with {rate:g} events/s: not an overload", sessions)  # fmt: skip
    assert result.rss_growth_kb <= RSS_GROWTH_BOUND_KB, (
        f"{target} grew {result.rss_growth_kb} kB over {len(sessions)} sessions")  # fmt: skip
    assert result.stopped.get("rejected_frames") in ({}, None), result.stopped
    print(
        f"{target} at {rate:g}/s: {len(sessions)} sessions, {result.events} events, "
        f"RSS +{result.rss_growth_kb} kB after the first session"
    )
