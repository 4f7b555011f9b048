"""Invariants over random event streams (``streams.scenarios``), checked from the reports."""

from __future__ import annotations

import asyncio
import os
from collections import defaultdict

import numpy as np
import pytest
from hypothesis import given, settings
from tests.hotpath_asyncio.model import Model
from tests.hotpath_asyncio.streams import (
    ADVERSARIAL,
    REALISTIC,
    Profile,
    random_scenario,
    scenarios,
)
from tests.hotpath_asyncio.support import Rpt

from hotpath_asyncio import Engine, StageTimes, replay, replay_async
from hotpath_format import (
    EVENT_STRUCT,
    CancelReason,
    EventKind,
    ReportKind,
    ScenarioMeta,
    Side,
)

EXAMPLES = int(os.environ.get("HOTPATH_PROPERTY_EXAMPLES", "80"))
"""Examples per property; raise it (e.g. 5000) for a deeper run than the default few seconds."""

# Deadline and health checks come from the session profile (tests/conftest.py).
PROPERTY_SETTINGS = settings(max_examples=EXAMPLES)

REQUEST_KINDS = (EventKind.NEW_ORDER, EventKind.CANCEL, EventKind.REPLACE)


def check_positions_and_cash(engine: Engine) -> None:
    """Position = signed sum of fills; cash = −Σ price × signed qty; no overfills."""
    position: defaultdict[tuple[int, int], int] = defaultdict(int)
    cash: defaultdict[int, int] = defaultdict(int)
    filled: defaultdict[tuple[int, int], int] = defaultdict(int)
    order_qty: dict[tuple[int, int], int] = {}
    limit: dict[tuple[int, int], int] = {}
    for r in map(Rpt._make, engine.reports):
        key = (r.account, r.order_id)
        if r.kind in (ReportKind.ACK, ReportKind.REPLACED):
            assert key not in order_qty, f"order id reused: {r}"
            order_qty[key] = r.qty
            limit[key] = r.price
        elif r.kind == ReportKind.FILL:
            assert r.qty > 0 and r.price > 0
            signed = r.qty if r.side == Side.BUY else -r.qty
            position[(r.account, r.instrument)] += signed
            cash[r.account] -= r.price * signed
            filled[key] += r.qty
            assert filled[key] <= order_qty[key], f"overfill: {r}"
            if r.side == Side.BUY:
                assert r.price <= limit[key]
            else:
                assert r.price >= limit[key]
    for account in engine.accounts:
        for instrument, pos in enumerate(account.position):
            assert pos == position[(account.id, instrument)]
        assert account.cash == cash[account.id]
        for order in account.orders.values():
            assert order.qty - filled[(account.id, order.id)] == order.remaining


def check_open_state(engine: Engine) -> None:
    """Open qty/notional/count equal what the live orders add up to; the index agrees."""
    indexed = {
        id(o)
        for per_side in (engine.resting.buys, engine.resting.sells)
        for per_venue in per_side
        for side in per_venue
        for queue in side.by_price.values()
        for o in queue
    }
    total_live = 0
    for account in engine.accounts:
        n = len(account.position)
        open_buy, open_sell, notional = [0] * n, [0] * n, 0
        for order in account.live.values():
            assert order.remaining > 0 and order.queue_ahead >= 0
            assert id(order) in indexed
            (open_buy if order.side == Side.BUY else open_sell)[order.instrument] += order.remaining
            notional += order.price * order.remaining
        assert (account.open_buy, account.open_sell) == (open_buy, open_sell)
        assert account.open_notional == notional
        assert len(account.window) <= max(account.rate_limit_count, 0)
        total_live += len(account.live)
        if account.halted:
            assert not account.live
    assert len(indexed) == total_live


def check_one_outcome_per_request(records: np.ndarray, engine: Engine) -> None:
    """Each request: one REJECT (last, after any HALT + mass cancel), or its accepted reports."""
    by_event: defaultdict[int, list[Rpt]] = defaultdict(list)
    for r in map(Rpt._make, engine.reports):
        by_event[r.event_index].append(r)
    halted_at: dict[int, int] = {}
    for index, event in enumerate(records):
        kind = int(event["kind"])
        reps = by_event.pop(index, [])
        for r in reps:
            if r.kind == ReportKind.HALT:
                assert r.account not in halted_at, "kill switch tripped twice"
                halted_at[r.account] = index
        if kind not in REQUEST_KINDS:
            allowed = (ReportKind.FILL, ReportKind.HALT, ReportKind.CANCELLED)
            assert all(r.kind in allowed for r in reps)
            assert kind == EventKind.TRADE or not reps
            continue
        rid = int(event["id"])
        rejects = [r for r in reps if r.kind == ReportKind.REJECT]
        if rejects:
            assert len(rejects) == 1 and reps[-1] is rejects[0]
            assert rejects[0].order_id == rid and rejects[0].ref_id == int(event["orig_id"])
            before = reps[:-1]
            assert all(r.kind in (ReportKind.HALT, ReportKind.CANCELLED) for r in before)
            if before:
                assert before[0].kind == ReportKind.HALT and rejects[0].reason == 32
            continue
        if kind == EventKind.NEW_ORDER:
            assert reps[0].kind == ReportKind.ACK and reps[0].order_id == rid
            assert sum(r.kind == ReportKind.ACK for r in reps) == 1
        elif kind == EventKind.CANCEL:
            (only,) = reps
            assert only.kind == ReportKind.CANCELLED and only.reason == CancelReason.REQUESTED
            assert (only.ref_id, only.order_id) == (rid, int(event["orig_id"]))
        else:
            assert reps[0].kind == ReportKind.REPLACED
            assert (reps[0].order_id, reps[0].ref_id) == (rid, int(event["orig_id"]))
            assert sum(r.kind == ReportKind.REPLACED for r in reps) == 1
        own_cancels = [r for r in reps if r.kind == ReportKind.CANCELLED and r.order_id == rid]
        assert len(own_cancels) <= 1 and (not own_cancels or reps[-1] is own_cancels[0])
    assert not by_event, "reports for events that do not exist"
    # Nothing trades for an account after its HALT.
    for r in map(Rpt._make, engine.reports):
        if r.account in halted_at and r.event_index > halted_at[r.account]:
            assert r.kind in (ReportKind.REJECT, ReportKind.CANCELLED)


@PROPERTY_SETTINGS
@given(scenarios())
def test_invariants_hold_on_random_streams(scenario: tuple[ScenarioMeta, np.ndarray]) -> None:
    meta, records = scenario
    engine = replay(meta, records)
    check_positions_and_cash(engine)
    check_open_state(engine)
    check_one_outcome_per_request(records, engine)


@settings(max_examples=max(1, EXAMPLES // 3))
@given(scenarios())
def test_same_input_same_digest_across_drivers(scenario: tuple[ScenarioMeta, np.ndarray]) -> None:
    meta, records = scenario
    digest = replay(meta, records).digest()
    assert replay(meta, records).digest() == digest
    assert asyncio.run(replay_async(meta, records)).digest() == digest
    assert replay(meta, records, StageTimes(len(records))).digest() == digest


def assert_matches_model(meta: ScenarioMeta, records: np.ndarray) -> None:
    model = Model(meta)
    buf = records.tobytes()
    for i in range(len(records)):
        model.handle(i, *EVENT_STRUCT.unpack_from(buf, i * EVENT_STRUCT.size))
    engine = replay(meta, records)
    for i, (got, want) in enumerate(zip(engine.reports, model.reports, strict=False)):
        assert got == want, f"report {i} differs (engine vs model)"
    assert len(engine.reports) == len(model.reports)


@PROPERTY_SETTINGS
@given(scenarios())
def test_engine_matches_the_naive_model(scenario: tuple[ScenarioMeta, np.ndarray]) -> None:
    assert_matches_model(*scenario)


@pytest.mark.parametrize(
    ("seed", "profile"), [(s, ADVERSARIAL) for s in range(4)] + [(0, REALISTIC)]
)
def test_engine_matches_the_naive_model_on_longer_streams(seed: int, profile: Profile) -> None:
    assert_matches_model(*random_scenario(seed, 800, profile))
