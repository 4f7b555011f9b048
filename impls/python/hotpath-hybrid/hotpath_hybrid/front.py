"""Phase 2 (build ``hybrid-risk-exec``): the Python service validates, Rust does the rest.

The Python side keeps the static validation rules (1–7: they read only the metadata); the
rules that read state — duplicate id, unknown order, no reference price — move with that
state to the Rust engine, which owns the books, the orders, the accounts and the report
stream. One call crosses per event: ``on_event`` for market data and for a request that
passed, ``reject`` for one that did not. The Rust engine runs its own static checks again on
what passed (a few compares; they cannot fail there).
"""

from __future__ import annotations

import numpy as np
from hotpath_rs import Engine as RustEngine

from hotpath_asyncio.book import MarketBooks
from hotpath_asyncio.codes import EV_CANCEL, EV_NEW_ORDER, EV_REPLACE
from hotpath_asyncio.validation import Validator
from hotpath_format import ScenarioMeta


class PythonValidationFront:
    """Static validation in Python in front of the Rust engine."""

    __slots__ = ("_cancel", "_engine", "_new", "_on_event", "_reject", "_replace")

    def __init__(self, meta: ScenarioMeta, stage_events: int = 0, expected_orders: int = 0) -> None:
        self._engine = RustEngine(meta.to_json(), stage_events, expected_orders)
        self._on_event = self._engine.on_event
        self._reject = self._engine.reject
        # The Python build's validator, stopping after the static rules: it never reads the
        # (empty) books and accounts it is given.
        rules = Validator(
            meta, MarketBooks(len(meta.instruments), len(meta.venues)), [], static_only=True
        )
        self._new = rules.new_order
        self._cancel = rules.cancel
        self._replace = rules.replace

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
        """One event, fields in ``EVENT_STRUCT`` order (as ``Engine.handle``)."""
        if kind == EV_NEW_ORDER:
            reason = -self._new(
                request_id, price, qty, instrument, account, side, order_type, venue
            )
        elif kind == EV_CANCEL:
            reason = self._cancel(request_id, orig_id, instrument, account)
        elif kind == EV_REPLACE:
            reason = self._replace(request_id, orig_id, price, qty, instrument, account)
        else:
            reason = 0  # market data (and unknown kinds, which the engine refuses)
        if reason:
            self._reject(
                index, ts, request_id, orig_id, price, qty, instrument, account, kind, side,
                order_type, venue, reason,
            )  # fmt: skip
        else:
            self._on_event(
                index, ts, request_id, orig_id, price, qty, instrument, account, kind, side,
                order_type, venue,
            )  # fmt: skip

    def report_array(self) -> np.ndarray:
        """The reports so far (``REPORT_DTYPE``), from the Rust engine's stream."""
        return self._engine.report_array()

    def start_drop_copy(self, url: str, prefix: str, snapshot_every: int = 10_000) -> None:
        """Publishes the reports to Redis (docs/dropcopy.md) from now on, through the Rust
        engine's own drop-copy: the stream is the Rust engine's, and that engine can be
        called only from the thread that made it, so no Python publisher thread can read it."""
        self._engine.start_drop_copy(url, prefix, snapshot_every)

    def finish_drop_copy(self) -> dict[str, int | float | str | None]:
        """Once Redis has every report (at most 10 s): the publisher's figures."""
        return self._engine.finish_drop_copy()

    def digest(self) -> str:
        return self._engine.digest()

    def stage_times(self) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """The Rust engine's stage stamps (validation ends in Rust, or at ``reject``)."""
        return self._engine.stage_times()
