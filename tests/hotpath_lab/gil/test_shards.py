"""Shards partition the order flow exactly and keep all market data, in order."""

from __future__ import annotations

import numpy as np
import pytest

from hotpath_format import EVENT_DTYPE, EventFile
from hotpath_lab.gil.shards import deal, is_order_request, split_by_account


def test_every_order_request_is_in_exactly_one_shard_and_market_data_in_all(
    smoke: EventFile,
) -> None:
    records = smoke.records
    shards = split_by_account(records, len(smoke.meta.accounts))
    assert [s.account for s in shards] == list(range(len(smoke.meta.accounts)))
    is_request = is_order_request(records)
    market = records[~is_request]
    requests = records[is_request]
    assert len(market) and len(requests)
    # the requests of all shards, taken together, are the scenario's requests, each once
    from_shards = np.concatenate([s.records[is_order_request(s.records)] for s in shards])
    assert len(from_shards) == len(requests) == sum(s.order_requests for s in shards)
    key = ["ts", "id", "account", "kind"]
    assert np.array_equal(np.sort(from_shards, order=key), np.sort(requests, order=key))
    for s in shards:
        mine = is_order_request(s.records)
        # every shard has all the market data, in the original order, byte for byte
        assert s.records[~mine].tobytes() == market.tobytes()
        assert s.records.flags.c_contiguous and s.records.dtype == EVENT_DTYPE
        # its requests are in original order (timestamps never go back) and, for the
        # accounts the metadata knows, all name this shard's account
        assert np.all(np.diff(s.records["ts"].astype(np.int64)) >= 0)
        assert set(s.records[mine]["account"] % len(shards)) <= {s.account}
    # the smoke scenario sends requests for every account it has but one quiet one
    assert sum(1 for s in shards if s.order_requests > 0) >= 3


def test_requests_for_unknown_accounts_go_to_one_shard() -> None:
    records = np.zeros(4, EVENT_DTYPE)
    records["kind"] = [1, 3, 3, 4]  # a book delta, then requests of accounts 1, 6 and 2
    records["account"] = [0, 1, 6, 2]
    records["ts"] = [1, 2, 3, 4]
    shards = split_by_account(records, 4)
    assert [s.order_requests for s in shards] == [0, 1, 2, 0]  # 6 % 4 joins account 2
    assert list(shards[2].records["account"]) == [0, 6, 2]


@pytest.mark.parametrize(
    ("n_shards", "workers", "expected"),
    [
        (4, 1, [[0, 1, 2, 3]]),
        (4, 2, [[0, 2], [1, 3]]),
        (4, 3, [[0, 3], [1], [2]]),
        (4, 4, [[0], [1], [2], [3]]),
        (2, 3, [[0], [1], []]),
    ],
)
def test_deal_is_round_robin(n_shards: int, workers: int, expected: list[list[int]]) -> None:
    assert deal(n_shards, workers) == expected


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="at least one worker"):
        deal(4, 0)
    with pytest.raises(ValueError, match="no account"):
        split_by_account(np.zeros(1, EVENT_DTYPE), 0)
    with pytest.raises(TypeError, match="EVENT_DTYPE"):
        split_by_account(np.zeros(3, np.uint8), 2)
