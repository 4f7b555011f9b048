"""Independent work for K workers: one shard per account, dealt round-robin.

Shard ``a`` is every market-data event of the scenario plus the order requests of account
``a``, in the original order: a valid scenario stream on the same metadata, so any build
replays it to a deterministic report digest. Each worker replays its shards through engines
of its own (its accounts' state and its own copy of the books): no state is shared, and the
market data is handled once per shard, which is the price of sharding without shared state.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hotpath_format import EVENT_DTYPE
from hotpath_lab.worker import ORDER_KINDS


@dataclass(frozen=True)
class Shard:
    """The stream one engine replays: all market data plus one account's order requests."""

    account: int
    records: np.ndarray
    """``EVENT_DTYPE``, contiguous; event indexes are positions in this array."""
    order_requests: int

    @property
    def events(self) -> int:
        return len(self.records)


def is_order_request(records: np.ndarray) -> np.ndarray:
    """Boolean mask of the order requests (``NEW_ORDER``, ``CANCEL``, ``REPLACE``)."""
    return np.isin(records["kind"], ORDER_KINDS)


def split_by_account(records: np.ndarray, n_accounts: int) -> list[Shard]:
    """One shard per account of the metadata, in account order.

    A request naming an account the metadata does not know (a bad request the engine rejects
    at validation) goes to shard ``account % n_accounts``, so every request is in exactly one
    shard.
    """
    if records.dtype != EVENT_DTYPE:
        raise TypeError(f"expected EVENT_DTYPE records, got dtype {records.dtype}")
    if n_accounts < 1:
        raise ValueError("the scenario's metadata names no account: nothing to shard")
    is_request = is_order_request(records)
    owner = records["account"].astype(np.int64) % n_accounts
    shards = []
    for account in range(n_accounts):
        mine = is_request & (owner == account)
        keep = ~is_request | mine
        shards.append(
            Shard(account, np.ascontiguousarray(records[keep]), int(np.count_nonzero(mine)))
        )
    return shards


def deal(n_shards: int, workers: int) -> list[list[int]]:
    """Shard indexes per worker, dealt round-robin (worker ``k`` gets ``k, k+K, …``); with
    more workers than shards the last workers get none."""
    if workers < 1:
        raise ValueError(f"need at least one worker, got {workers}")
    return [list(range(k, n_shards, workers)) for k in range(workers)]
