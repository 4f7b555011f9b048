"""Phase 1 (build ``hybrid-risk``): the Python asyncio service with the Rust risk engine.

The Python engine runs as it is, with three parts swapped for ones that report to the Rust
risk desk (``desk_parts``), and its market data forwarded to the desk's copy of the books.
"""

from __future__ import annotations

from hotpath_rs import RiskDesk

from hotpath_asyncio import Engine, StageTimes
from hotpath_asyncio.killswitch import KillSwitch
from hotpath_asyncio.orders import Account
from hotpath_asyncio.risk import PreTradeRisk
from hotpath_format import AccountMeta, ScenarioMeta
from hotpath_hybrid.desk_parts import DeskAccount, DeskLossCheck, DeskRisk


class RustRiskEngine(Engine):
    """The Python engine whose pre-trade risk (rules 0–7 and the state they read) is Rust's."""

    __slots__ = ("_desk",)

    def __init__(self, meta: ScenarioMeta, stage_times: StageTimes | None = None) -> None:
        self._desk = RiskDesk(meta.to_json())
        super().__init__(meta, stage_times)

    @property
    def desk(self) -> RiskDesk:
        """The Rust risk desk (its state can be inspected: ``holding``, ``reference``)."""
        return self._desk

    def _new_account(self, meta: AccountMeta, n_instruments: int) -> Account:
        return DeskAccount(meta, n_instruments, self._desk)

    def _new_kill_switch(self) -> KillSwitch:
        return DeskLossCheck(self.books, self.resting, self._log, self._desk)

    def _new_risk(self, canary: str, kill_switch: KillSwitch) -> PreTradeRisk:
        # The gate's risk canary is a Python risk stage; the desk's risk has none.
        return DeskRisk(self.meta, self.books, kill_switch, self._desk)

    def _book_delta(self, instrument: int, venue: int, side: int, price: int, qty: int) -> None:
        self._desk.book_delta(instrument, venue, side, price, qty)
        Engine._book_delta(self, instrument, venue, side, price, qty)

    def _trade(
        self, index: int, instrument: int, venue: int, side: int, price: int, qty: int
    ) -> None:
        # The desk records the print first: the loss checks after its passive fills read it.
        self._desk.trade(instrument, venue, side, price, qty)
        Engine._trade(self, index, instrument, venue, side, price, qty)
