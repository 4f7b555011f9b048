"""The canary's routing rule and the perturbation aid, on the real smoke scenario and on
hand-made streams: every order request goes to exactly one side, market data to both."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotpath_format import EVENT_DTYPE, REPORT_DTYPE, EventFile, EventKind, read_events
from hotpath_lab.scenarios import build_scenario
from hotpath_lab.wire.canary import records_differing
from hotpath_lab.wire.partition import canary_accounts, order_requests, route
from hotpath_lab.wire.perturb import perturbed


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> EventFile:
    return read_events(build_scenario("smoke", out=tmp_path_factory.mktemp("p") / "smoke.hpe"))


@pytest.mark.parametrize(
    ("accounts", "share", "expected"),
    [
        (4, 1, (0,)),  # rounds up to a whole account
        (4, 25, (0,)),
        (4, 26, (0, 1)),
        (4, 50, (0, 1)),
        (4, 100, (0, 1, 2, 3)),
        (100, 29, tuple(range(29))),  # 29 % of 100 in floats is 29.000000000000004
        (1, 0.5, (0,)),
    ],
)
def test_the_share_rounds_up_to_whole_accounts_in_ascending_id(
    accounts: int, share: float, expected: tuple[int, ...]
) -> None:
    assert canary_accounts(accounts, share) == expected


@pytest.mark.parametrize("share", [0, -1, 100.5])
def test_a_share_outside_0_100_is_refused(share: float) -> None:
    with pytest.raises(ValueError, match="share"):
        canary_accounts(4, share)


@pytest.mark.parametrize("share", [1, 10, 50, 75, 100])
def test_smoke_every_request_to_one_side_market_data_to_both(
    smoke: EventFile, share: float
) -> None:
    r = np.asarray(smoke.records)
    routing = route(r, len(smoke.meta.accounts), share)
    orders = order_requests(r)
    assert (routing.to_old & routing.to_new)[orders].sum() == 0
    assert (routing.to_old | routing.to_new)[orders].all()
    assert (routing.to_old & routing.to_new)[~orders].all()
    new_orders = r[routing.to_new & orders]
    if share < 100:
        assert set(np.unique(new_orders["account"]).tolist()) <= set(routing.new_accounts)
    else:  # smoke also sends requests naming accounts it does not have: all go new at 100 %
        assert routing.to_new.all() and routing.orders_old == 0
    assert routing.orders_new + routing.orders_old == orders.sum()
    assert routing.order_share == pytest.approx(routing.orders_new / orders.sum())
    assert routing.account_share == len(routing.new_accounts) / 4


def _stream(kinds: list[int], accounts: list[int]) -> np.ndarray:
    r = np.zeros(len(kinds), EVENT_DTYPE)
    r["kind"], r["account"] = kinds, accounts
    return r


@given(
    st.lists(
        st.tuples(st.sampled_from([int(k) for k in EventKind]), st.integers(0, 6)), max_size=60
    ),
    st.floats(0.01, 100),
)
def test_any_stream_is_partitioned(events: list[tuple[int, int]], share: float) -> None:
    r = _stream([k for k, _ in events], [a for _, a in events])
    routing = route(r, 4, share)
    orders = order_requests(r)
    assert not (routing.to_old & routing.to_new & orders).any()
    assert ((routing.to_old | routing.to_new) == np.ones(len(r), bool)).all()
    assert (routing.to_old & routing.to_new == ~orders).all()


def test_requests_naming_no_known_account_move_only_at_100_percent() -> None:
    r = _stream([EventKind.NEW_ORDER, EventKind.CANCEL, EventKind.BOOK_DELTA], [9, 0, 0])
    at_75 = route(r, 4, 75)
    assert at_75.to_old.tolist() == [True, False, True]
    assert at_75.to_new.tolist() == [False, True, True]
    at_100 = route(r, 4, 100)
    assert at_100.to_new.all() and at_100.to_old.tolist() == [False, False, True]


def test_perturbed_alters_one_event_in_a_copy(smoke: EventFile) -> None:
    r = np.asarray(smoke.records)
    new = int(np.flatnonzero(r["kind"] == EventKind.NEW_ORDER)[5])
    cancel = int(np.flatnonzero(r["kind"] == EventKind.CANCEL)[0])
    lot = {i.id: i.lot_size for i in smoke.meta.instruments}[int(r[new]["instrument"])]
    a = perturbed(r, new, smoke.meta)
    changed = np.flatnonzero(a != r)
    assert changed.tolist() == [new] and int(a[new]["qty"]) == int(r[new]["qty"]) + lot
    b = perturbed(r, cancel, smoke.meta)
    assert np.flatnonzero(b != r).tolist() == [cancel]
    assert int(b[cancel]["orig_id"]) == int(r[cancel]["orig_id"]) + 1
    with pytest.raises(ValueError, match=f"0..{len(r) - 1}"):
        perturbed(r, len(r), smoke.meta)


def test_records_differing_counts_changed_and_missing_reports() -> None:
    a = np.zeros(5, REPORT_DTYPE)
    a["seq"] = np.arange(1, 6)
    b = a.copy()
    assert records_differing(a, b) == 0
    b[1]["qty"], b[3]["price"] = 7, 9
    assert records_differing(a, b) == 2
    assert records_differing(a, b[:3]) == 1 + 2
