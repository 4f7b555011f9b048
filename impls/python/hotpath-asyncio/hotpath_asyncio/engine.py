"""The engine: one input event at a time through validation → risk → execution.

``Engine.handle`` takes the event index and the eleven ``EVENT_STRUCT`` fields in record
order. With ``StageTimes`` the end of each stage is stamped; without, each stage pays one
``is not None`` test (about 1 % of a request's cost, measured).
"""

from __future__ import annotations

from collections.abc import Callable
from time import perf_counter_ns
from typing import TypeAlias

import numpy as np

from hotpath_asyncio.book import MarketBooks
from hotpath_asyncio.canary import canary_from_env, execution_class, risk_class
from hotpath_asyncio.codes import (
    BUY,
    EV_BOOK_DELTA,
    EV_CANCEL,
    EV_NEW_ORDER,
    EV_REPLACE,
    EV_TRADE,
    LIMIT,
    SELL,
    STAGE_RISK,
    STAGE_VALIDATION,
)
from hotpath_asyncio.killswitch import KillSwitch
from hotpath_asyncio.orders import Account
from hotpath_asyncio.passive import TradeMatcher
from hotpath_asyncio.reports import Report, ReportLog, digest, to_array
from hotpath_asyncio.resting import RestingOrders
from hotpath_asyncio.risk import PreTradeRisk
from hotpath_asyncio.router import Router
from hotpath_asyncio.stage_times import StageTimes
from hotpath_asyncio.validation import Validator
from hotpath_format import AccountMeta, FormatError, ScenarioMeta

EventHandler: TypeAlias = Callable[
    [int, int, int, int, int, int, int, int, int, int, int, int], None
]
"""``(index, ts, id, orig_id, price, qty, instrument, account, kind, side, order_type, venue)``."""


class Engine:
    """The order hot path for one session (``docs/pipeline.md``).

    ``handle(index, *EVENT_STRUCT.unpack_from(buf, offset))`` processes one event; the
    fields are taken as decoded from a record (unsigned ones are never negative). Reports
    accumulate in ``reports``.
    """

    __slots__ = (
        "_execution",
        "_log",
        "_n_accounts",
        "_n_instruments",
        "_n_venues",
        "_risk",
        "_stamps",
        "_trades",
        "_validator",
        "accounts",
        "books",
        "meta",
        "reports",
        "resting",
    )

    def __init__(self, meta: ScenarioMeta, stage_times: StageTimes | None = None) -> None:
        n_instruments = len(meta.instruments)
        n_venues = len(meta.venues)
        self.meta = meta
        self._n_instruments = n_instruments
        self._n_venues = n_venues
        self._n_accounts = len(meta.accounts)
        self._log = ReportLog()
        self.reports: list[Report] = self._log.records
        """The report stream so far, as tuples in ``REPORT_DTYPE`` order without seq/pad."""
        self.books = MarketBooks(n_instruments, n_venues)
        self.resting = RestingOrders(n_instruments, n_venues)
        self.accounts = [self._new_account(a, n_instruments) for a in meta.accounts]
        kill_switch = self._new_kill_switch()
        self._validator = Validator(meta, self.books, self.accounts)
        canary = canary_from_env()  # the regression gate's deliberate slowdowns; off by default
        self._risk = self._new_risk(canary, kill_switch)
        self._execution = execution_class(canary)(
            self.books, self.resting, Router(self.books, self._log), kill_switch, self._log
        )
        self._trades = TradeMatcher(self.books, self.resting, self.accounts, kill_switch, self._log)
        self._stamps = stage_times

    # ---- parts --------------------------------------------------------------------------
    # Called once, by __init__. A hybrid build (hotpath_hybrid) overrides them to hand a
    # stage's state to another engine; nothing on the hot path goes through them.

    def _new_account(self, meta: AccountMeta, n_instruments: int) -> Account:
        return Account(meta, n_instruments)

    def _new_kill_switch(self) -> KillSwitch:
        return KillSwitch(self.books, self.resting, self._log)

    def _new_risk(self, canary: str, kill_switch: KillSwitch) -> PreTradeRisk:
        return risk_class(canary)(self.meta, self.books, kill_switch)

    # ---- results -------------------------------------------------------------------------

    def report_array(self) -> np.ndarray:
        """The reports as ``REPORT_DTYPE`` records with ``seq`` = 1..n."""
        return to_array(self.reports)

    def digest(self) -> str:
        """Hex SHA-256 of the report records (``hotpath_format.report_digest``)."""
        return digest(self.reports)

    def report_source(self) -> ReportLog:
        """The report log, which serves the stream by index to a reader on another thread
        (the drop-copy's publisher, docs/dropcopy.md)."""
        return self._log

    # ---- dispatch ------------------------------------------------------------------------

    def handle(
        self,
        index: int,
        ts: int,
        request_id: int,
        orig_id: int,
        price: int,
        qty: int,
        instrument: int,
        account: int,
        kind: int,
        side: int,
        order_type: int,
        venue: int,
    ) -> None:
        """Processes one event: the index and the record's fields in ``EVENT_STRUCT`` order."""
        if kind == EV_BOOK_DELTA:
            self._book_delta(instrument, venue, side, price, qty)
        elif kind == EV_NEW_ORDER:
            self._new_order(
                index, ts, request_id, orig_id, price, qty, instrument, account, side,
                order_type, venue,
            )  # fmt: skip
            return
        elif kind == EV_TRADE:
            self._trade(index, instrument, venue, side, price, qty)
        elif kind == EV_CANCEL:
            self._cancel(index, request_id, orig_id, price, qty, instrument, account, side, venue)
            return
        elif kind == EV_REPLACE:
            self._replace(
                index, ts, request_id, orig_id, price, qty, instrument, account, side, venue
            )
            return
        else:
            # the file reader's rule (and the wire decoder's): a record of an unknown kind
            # is refused, never ignored; only reached by a record that did not come from one
            raise FormatError("<event>", f"event {index}: unknown event kind {kind}")
        if self._stamps is not None:
            self._stamps.book_updated[index] = perf_counter_ns()

    # ---- market data ---------------------------------------------------------------------

    def _book_delta(self, instrument: int, venue: int, side: int, price: int, qty: int) -> None:
        if (
            venue >= self._n_venues
            or instrument >= self._n_instruments
            or (side != BUY and side != SELL)
            or price <= 0
            or qty < 0
        ):
            return
        self.books.apply_delta(instrument, venue, side, price, qty)
        self.resting.cap_queue(instrument, venue, side, price, qty)

    def _trade(
        self, index: int, instrument: int, venue: int, side: int, price: int, qty: int
    ) -> None:
        if (
            venue >= self._n_venues
            or instrument >= self._n_instruments
            or (side != BUY and side != SELL)
            or price <= 0
            or qty <= 0
        ):
            return
        self._trades.on_trade(index, instrument, venue, side, price, qty)

    # ---- order requests ------------------------------------------------------------------
    # Stage stamps cost one ``is not None`` test per stage when they are off.

    def _reject(
        self,
        index: int,
        request_id: int,
        orig_id: int,
        price: int,
        qty: int,
        instrument: int,
        account: int,
        stage: int,
        reason: int,
        venue: int,
        side: int,
    ) -> None:
        self._log.reject(
            index, request_id, orig_id, price, qty, instrument, account, stage, reason, venue, side
        )
        if account < self._n_accounts:
            self.accounts[account].used_ids.add(request_id)

    def _new_order(
        self,
        index: int,
        ts: int,
        request_id: int,
        orig_id: int,
        price: int,
        qty: int,
        instrument: int,
        account: int,
        side: int,
        order_type: int,
        venue: int,
    ) -> None:
        stamps = self._stamps
        limit = self._validator.new_order(
            request_id, price, qty, instrument, account, side, order_type, venue
        )
        if stamps is not None:
            stamps.validated[index] = perf_counter_ns()
        if limit < 0:
            self._reject(
                index, request_id, orig_id, price, qty, instrument, account, STAGE_VALIDATION,
                -limit, venue, side,
            )  # fmt: skip
            return
        acct = self.accounts[account]
        reason = self._risk.check(
            index, ts, request_id, acct, instrument, side, limit, qty, order_type == LIMIT, None
        )
        if stamps is not None:
            stamps.risk_checked[index] = perf_counter_ns()
        if reason:
            self._reject(
                index, request_id, orig_id, price, qty, instrument, account, STAGE_RISK, reason,
                venue, side,
            )  # fmt: skip
            return
        self._execution.new_order(
            index, request_id, acct, instrument, side, order_type, limit, qty, venue
        )
        acct.used_ids.add(request_id)
        if stamps is not None:
            stamps.executed[index] = perf_counter_ns()

    def _cancel(
        self,
        index: int,
        request_id: int,
        orig_id: int,
        price: int,
        qty: int,
        instrument: int,
        account: int,
        side: int,
        venue: int,
    ) -> None:
        stamps = self._stamps
        reason = self._validator.cancel(request_id, orig_id, instrument, account)
        if stamps is not None:
            stamps.validated[index] = perf_counter_ns()
        if reason:
            self._reject(
                index, request_id, orig_id, price, qty, instrument, account, STAGE_VALIDATION,
                reason, venue, side,
            )  # fmt: skip
            return
        if stamps is not None:  # a CANCEL always passes risk
            stamps.risk_checked[index] = perf_counter_ns()
        acct = self.accounts[account]
        self._execution.cancel(index, request_id, acct, orig_id)
        acct.used_ids.add(request_id)
        if stamps is not None:
            stamps.executed[index] = perf_counter_ns()

    def _replace(
        self,
        index: int,
        ts: int,
        request_id: int,
        orig_id: int,
        price: int,
        qty: int,
        instrument: int,
        account: int,
        side: int,
        venue: int,
    ) -> None:
        stamps = self._stamps
        reason = self._validator.replace(request_id, orig_id, price, qty, instrument, account)
        if stamps is not None:
            stamps.validated[index] = perf_counter_ns()
        if reason:
            self._reject(
                index, request_id, orig_id, price, qty, instrument, account, STAGE_VALIDATION,
                reason, venue, side,
            )  # fmt: skip
            return
        acct = self.accounts[account]
        orig = acct.live[orig_id]
        reason = self._risk.check(
            index, ts, request_id, acct, instrument, orig.side, price, qty, False, orig
        )
        if stamps is not None:
            stamps.risk_checked[index] = perf_counter_ns()
        if reason:
            self._reject(
                index, request_id, orig_id, price, qty, instrument, account, STAGE_RISK, reason,
                venue, side,
            )  # fmt: skip
            return
        self._execution.replace(index, request_id, acct, orig_id, price, qty)
        acct.used_ids.add(request_id)
        if stamps is not None:
            stamps.executed[index] = perf_counter_ns()
