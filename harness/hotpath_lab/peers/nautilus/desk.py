"""One of our accounts as a NautilusTrader strategy: it owns the account's orders there, and
hands every order event its path sends back to the adapter (``NautilusPipeline.on_event``)."""

from __future__ import annotations

from typing import Any, Protocol

from nautilus_trader.config import StrategyConfig
from nautilus_trader.trading.strategy import Strategy


class EventSink(Protocol):
    def on_event(self, name: str, event: Any) -> None: ...


class Desk(Strategy):  # type: ignore[misc]  # its classes carry no type information
    """The strategy of account ``account`` (its identity there: ``ACCOUNT-<id>``)."""

    def __init__(self, account: int, sink: EventSink) -> None:
        super().__init__(
            StrategyConfig(strategy_id=f"ACCOUNT-{account}", order_id_tag=str(account))
        )
        self.account = account
        self._sink = sink

    def on_order_submitted(self, event: Any) -> None:
        self._sink.on_event("submitted", event)

    def on_order_denied(self, event: Any) -> None:
        self._sink.on_event("denied", event)

    def on_order_accepted(self, event: Any) -> None:
        self._sink.on_event("accepted", event)

    def on_order_rejected(self, event: Any) -> None:
        self._sink.on_event("rejected", event)

    def on_order_filled(self, event: Any) -> None:
        self._sink.on_event("filled", event)

    def on_order_canceled(self, event: Any) -> None:
        self._sink.on_event("canceled", event)

    def on_order_expired(self, event: Any) -> None:
        self._sink.on_event("expired", event)

    def on_order_pending_update(self, event: Any) -> None:
        self._sink.on_event("pending_update", event)

    def on_order_pending_cancel(self, event: Any) -> None:
        self._sink.on_event("pending_cancel", event)

    def on_order_updated(self, event: Any) -> None:
        self._sink.on_event("updated", event)

    def on_order_modify_rejected(self, event: Any) -> None:
        self._sink.on_event("modify_rejected", event)

    def on_order_cancel_rejected(self, event: Any) -> None:
        self._sink.on_event("cancel_rejected", event)
