"""Which gateway sees which event in a canary shift (docs/canary.md).

Accounts interact only through the books, so every gateway receives all market data, and
each account's order requests go to exactly one *serving* gateway. The canary share is a
share of accounts, rounded up to whole accounts, taken in ascending account id: the same
share always picks the same accounts, and a larger share keeps the accounts a smaller one
had (1 % → account 0; 50 % of four → accounts 0 and 1). A request naming no known account
stays with the old build until the share is 100 %.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from hotpath_format import EventKind

ORDER_REQUEST_KINDS = (EventKind.NEW_ORDER, EventKind.CANCEL, EventKind.REPLACE)


def order_requests(records: np.ndarray) -> np.ndarray:
    """Boolean mask: the order requests among ``records`` (the rest is market data)."""
    mask: np.ndarray = np.isin(records["kind"], np.array(ORDER_REQUEST_KINDS, np.uint8))
    return mask


def canary_accounts(accounts: int, share_pct: float) -> tuple[int, ...]:
    """The account ids the new build serves at ``share_pct`` percent of ``accounts``."""
    if not 0 < share_pct <= 100:
        raise ValueError(f"a canary share must be in (0, 100] percent, got {share_pct:g}")
    if accounts < 1:
        raise ValueError("the scenario has no accounts to route")
    # a float like 29.000000000000004 % of 100 must not round up to 30 accounts
    n = math.ceil(round(accounts * share_pct / 100, 9))
    return tuple(range(min(accounts, n)))


@dataclass(frozen=True)
class Routing:
    """One step's routing: ``to_old`` and ``to_new`` are masks over the scenario's events."""

    new_accounts: tuple[int, ...]
    accounts: int
    to_old: np.ndarray
    to_new: np.ndarray
    orders_old: int
    orders_new: int

    @property
    def account_share(self) -> float:
        return len(self.new_accounts) / self.accounts

    @property
    def order_share(self) -> float:
        """The new build's share of the order requests."""
        total = self.orders_old + self.orders_new
        return self.orders_new / total if total else 0.0


def route(records: np.ndarray, accounts: int, share_pct: float) -> Routing:
    """Market data to both sides; each order request to the side that serves its account."""
    new_accounts = canary_accounts(accounts, share_pct)
    orders = order_requests(records)
    if len(new_accounts) == accounts:  # all of it: requests naming no known account too
        served_new = orders
    else:
        served_new = orders & np.isin(records["account"], np.array(new_accounts, np.uint16))
    served_old = orders & ~served_new
    market = ~orders
    return Routing(
        new_accounts=new_accounts,
        accounts=accounts,
        to_old=market | served_old,
        to_new=market | served_new,
        orders_old=int(served_old.sum()),
        orders_new=int(served_new.sum()),
    )
