"""Phase 1 (``hybrid-risk``): the Rust risk desk keeps the ledger the Python build would have
kept, and answers for it; the Python service keeps the orders and the report stream."""

from __future__ import annotations

import numpy as np
import pytest
from hotpath_rs import RiskDesk
from tests.hotpath_asyncio.streams import ADVERSARIAL, REALISTIC, Profile, random_scenario
from tests.hotpath_asyncio.support import delta, make_meta, new

import hotpath_asyncio
from hotpath_asyncio.codes import BUY, SELL
from hotpath_format import EVENT_STRUCT, Reason, ReportKind, ScenarioMeta, Stage
from hotpath_hybrid import RustRiskEngine


def replay_both(
    meta: ScenarioMeta, records: np.ndarray
) -> tuple[hotpath_asyncio.Engine, RustRiskEngine]:
    python = hotpath_asyncio.Engine(meta)
    hybrid = RustRiskEngine(meta)
    buf = records.view(np.uint8).data
    for i in range(len(records)):
        fields = EVENT_STRUCT.unpack_from(buf, i * EVENT_STRUCT.size)
        python.handle(i, *fields)
        hybrid.handle(i, *fields)
    return python, hybrid


@pytest.mark.parametrize(
    ("seed", "profile"), [(11, REALISTIC), (12, ADVERSARIAL), (13, ADVERSARIAL)]
)
def test_the_desks_ledger_is_the_python_builds_after_a_whole_session(
    seed: int, profile: Profile
) -> None:
    meta, records = random_scenario(seed, 5_000, profile)
    python, hybrid = replay_both(meta, records)
    assert hybrid.digest() == python.digest()
    halted = 0
    for a, acct in enumerate(python.accounts):
        for i in range(len(meta.instruments)):
            want = (
                acct.position[i], acct.open_buy[i], acct.open_sell[i], len(acct.live),
                acct.halted,
            )  # fmt: skip
            assert hybrid.desk.holding(a, i) == want, (a, i)
        halted += acct.halted
    # the service keeps its orders; its accounts no longer hold the risk numbers
    assert [sorted(a.live) for a in hybrid.accounts] == [sorted(a.live) for a in python.accounts]
    assert all(not any(a.position) and a.cash == 0 for a in hybrid.accounts)
    if profile is ADVERSARIAL:
        assert halted, "the adversarial streams trip kill switches: the trip path ran"


def test_the_desk_reads_the_books_it_is_fed_and_answers_risk() -> None:
    meta = make_meta(accounts=[{"max_order_notional": 10_000}])
    engine = RustRiskEngine(meta)
    for i, ev in enumerate([delta(BUY, 99, 5), delta(SELL, 101, 5)]):
        engine.handle(i, *ev)
    assert engine.desk.reference(0) == 100
    engine.handle(2, *new(1, BUY, 101, 200))  # 20,200 > 10,000: MAX_NOTIONAL from Rust
    (reject,) = engine.report_array()
    assert (reject["kind"], reject["stage"], reject["reason"]) == (
        ReportKind.REJECT, Stage.RISK, Reason.MAX_NOTIONAL,
    )  # fmt: skip


def test_the_desk_refuses_what_names_nothing_with_a_clear_error() -> None:
    desk = RiskDesk(make_meta().to_json())
    with pytest.raises(ValueError, match="account 5 is out of range: the scenario has 2"):
        desk.check(5, 0, BUY, 100, 1, 0, True, 0, 0)
    with pytest.raises(ValueError, match="side 7 is neither BUY"):
        desk.open(0, 0, 7, 100, 1)
    with pytest.raises(ValueError, match="venue 3 is out of range"):
        desk.taker_fill(0, 0, 3, BUY, 100, 1)
    assert desk.holding(9, 0) is None and desk.reference(0) is None
