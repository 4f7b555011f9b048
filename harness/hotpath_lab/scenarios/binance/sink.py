"""Collects one market's market-data events in emission order and packs them as records."""

from __future__ import annotations

import numpy as np

from hotpath_format import EVENT_DTYPE, EventKind

BOOK_DELTA = int(EventKind.BOOK_DELTA)
TRADE = int(EventKind.TRADE)


class EventSink:
    """Column lists for one venue × instrument; ``records()`` builds the numpy array once."""

    __slots__ = ("_kind", "_price", "_qty", "_side", "_ts", "instrument", "venue")

    def __init__(self, venue: int, instrument: int) -> None:
        self.venue = venue
        self.instrument = instrument
        self._ts: list[int] = []
        self._kind: list[int] = []
        self._side: list[int] = []
        self._price: list[int] = []
        self._qty: list[int] = []

    def __len__(self) -> int:
        return len(self._ts)

    def add(self, ts: int, kind: int, side: int, price: int, qty: int) -> None:
        self._ts.append(ts)
        self._kind.append(kind)
        self._side.append(side)
        self._price.append(price)
        self._qty.append(qty)

    def records(self) -> np.ndarray:
        out = np.zeros(len(self._ts), EVENT_DTYPE)
        out["ts"] = np.array(self._ts, dtype=np.uint64)
        out["kind"] = np.array(self._kind, dtype=np.uint8)
        out["side"] = np.array(self._side, dtype=np.uint8)
        out["price"] = np.array(self._price, dtype=np.int64)
        out["qty"] = np.array(self._qty, dtype=np.int64)
        out["venue"] = self.venue
        out["instrument"] = self.instrument
        return out
