"""Deliberate slowdowns that the regression gate must catch (docs/gate.md).

The Python build's side of ``HOTPATH_CANARY``, read when an engine is created, with the
same meaning as the Rust engine's (``hotpath_core::engine::canary``):

- ``uniform``: every order request that reaches pre-trade risk does extra work inside the
  risk stage, about a tenth of that stage's median cost (P50 moves);
- ``tail``: every ``TAIL_EVERY``-th order request that reaches execution stalls inside the
  execution stage (P99.9 moves, P50 does not).

The work is integer arithmetic, never a clock read or a sleep: a canary changes no report.
A canary is a subclass of the risk or execution stage that the engine picks when it is
built, so with the canary off the engine runs exactly the code it runs without this module.
"""

from __future__ import annotations

import os
from typing import Any

from hotpath_asyncio.execution import Execution
from hotpath_asyncio.orders import Account, Order
from hotpath_asyncio.risk import PreTradeRisk

CANARY_ENV = "HOTPATH_CANARY"
CANARIES = ("off", "uniform", "tail")

UNIFORM_ROUNDS = 1
"""Rounds of ``burn`` per risk check. With the overriding call itself, about +0.5 µs: +12 to
+16 % of the Python risk stage's median (3.3–3.7 µs; AMD EPYC, CPython 3.11, single
processes ±5 %). A Python call is most of it: no round count gets closer to a tenth."""
TAIL_EVERY = 500
"""One order request in this many (0.2 %) stalls under the tail canary."""
TAIL_ROUNDS = 3_000
"""Rounds of ``burn`` per stall: ~330 µs here, about twenty-five times the Python build's
median service time."""

_MASK = (1 << 64) - 1


def canary_from_env() -> str:
    """``off``, ``uniform`` or ``tail`` from ``HOTPATH_CANARY`` (off when unset or empty).

    Raises ``ValueError`` naming the variable for any other value.
    """
    value = os.environ.get(CANARY_ENV, "").strip() or "off"
    if value not in CANARIES:
        raise ValueError(f"{CANARY_ENV}={value!r}: expected off, uniform or tail (docs/gate.md)")
    return value


def burn(rounds: int) -> int:
    """``rounds`` dependent multiply-adds: deterministic work that grows with ``rounds``."""
    x = 0x9E3779B97F4A7C15
    for _ in range(rounds):
        x = (x * 6364136223846793005 + 1) & _MASK
    return x


class UniformRiskCanary(PreTradeRisk):
    """Pre-trade risk with ``UNIFORM_ROUNDS`` of extra work after every check."""

    __slots__ = ()

    # the parameters spelled out and the base called directly: a ``*args`` wrapper with
    # ``super()`` alone costs about as much as the tenth this canary is meant to add
    def check(
        self,
        index: int,
        ts: int,
        request_id: int,
        account: Account,
        instrument: int,
        side: int,
        price: int,
        qty: int,
        new_limit: bool,
        replacing: Order | None,
    ) -> int:
        reason = _check(
            self, index, ts, request_id, account, instrument, side, price, qty, new_limit,
            replacing,
        )  # fmt: skip
        burn(UNIFORM_ROUNDS)
        return reason


_check = PreTradeRisk.check


class TailExecutionCanary(Execution):
    """Execution where every ``TAIL_EVERY``-th request stalls after executing."""

    __slots__ = ("_executed",)

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._executed = 0

    def _after(self) -> None:
        self._executed += 1
        if self._executed % TAIL_EVERY == 0:
            burn(TAIL_ROUNDS)

    def new_order(self, *args: Any) -> None:
        super().new_order(*args)
        self._after()

    def cancel(self, *args: Any) -> None:
        super().cancel(*args)
        self._after()

    def replace(self, *args: Any) -> None:
        super().replace(*args)
        self._after()


def risk_class(canary: str) -> type[PreTradeRisk]:
    """The pre-trade risk an engine with ``canary`` uses."""
    return UniformRiskCanary if canary == "uniform" else PreTradeRisk


def execution_class(canary: str) -> type[Execution]:
    """The execution stage an engine with ``canary`` uses."""
    return TailExecutionCanary if canary == "tail" else Execution
