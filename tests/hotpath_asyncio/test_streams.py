"""The random-stream generator: well-formed output that reaches every rule."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from tests.hotpath_asyncio.streams import ADVERSARIAL, REALISTIC, random_scenario, scenarios

from hotpath_asyncio import replay
from hotpath_format import (
    CancelReason,
    EventKind,
    Liquidity,
    Reason,
    ReportKind,
    ScenarioMeta,
    read_events,
    write_events,
)


def test_adversarial_streams_reach_every_outcome() -> None:
    seen: Counter[tuple[str, int]] = Counter()
    for seed in range(40):
        meta, records = random_scenario(seed, 400)
        for r in replay(meta, records).reports:
            kind = r[7]
            seen[("kind", kind)] += 1
            if kind == ReportKind.REJECT:
                seen[("reject", r[9])] += 1
            elif kind == ReportKind.CANCELLED:
                seen[("cancel", r[9])] += 1
            elif kind == ReportKind.FILL:
                seen[("liquidity", r[11])] += 1
            elif kind == ReportKind.HALT:
                seen[("halt by", 0 if r[1] == 0 else 1)] += 1
    expected = (
        [("kind", k) for k in ReportKind]
        + [("reject", r) for r in Reason]
        + [("cancel", c) for c in CancelReason]
        + [("liquidity", q) for q in Liquidity]
        + [("halt by", 0), ("halt by", 1)]
    )
    missing = [e for e in expected if not seen[e]]
    assert not missing, f"never produced: {missing}"


@settings(max_examples=15, deadline=None)
@given(scenarios(profile=ADVERSARIAL))
def test_adversarial_streams_are_well_formed_and_file_safe(
    scenario: tuple[ScenarioMeta, np.ndarray],
) -> None:
    meta, records = scenario
    assert len(meta.venues) <= 255 and len(records) >= 1
    assert np.all(np.diff(records["ts"].astype(np.int64)) >= 0)
    assert set(records["kind"].tolist()) <= {int(k) for k in EventKind}


def test_adversarial_stream_round_trips_through_a_scenario_file(tmp_path: Path) -> None:
    meta, records = random_scenario(5, 300, ADVERSARIAL)
    path = tmp_path / "random.hpev"
    write_events(path, meta.raw, records)
    loaded = read_events(path)
    assert loaded.meta == meta
    assert replay(loaded.meta, loaded.records).digest() == replay(meta, records).digest()


def test_realistic_profile_is_mostly_market_data_and_valid_orders() -> None:
    meta, records = random_scenario(1, 5000, REALISTIC)
    kinds = Counter(records["kind"].tolist())
    assert kinds[EventKind.BOOK_DELTA] > len(records) // 2
    reports = replay(meta, records).reports
    acks = sum(r[7] == ReportKind.ACK for r in reports)
    assert acks > kinds[EventKind.NEW_ORDER] // 2
