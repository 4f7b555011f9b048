"""The smallest valid scenario: one instrument, one venue, no accounts; events that are book
deltas at given timestamps. For tests of readers, inspection and CLI checks that need a
file and nothing in it."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hotpath_format import EVENT_DTYPE, write_events

META = {
    "schema": 1,
    "name": "t",
    "instruments": [
        {"id": 0, "symbol": "X", "tick_size": 1, "lot_size": 1, "max_order_qty": 10,
         "max_price": 100, "band_bps": 100}
    ],
    "venues": [{"id": 0, "name": "v"}],
    "accounts": [],
}  # fmt: skip


def deltas_at(ts: list[int]) -> np.ndarray:
    """Book deltas (bid side) at ``ts``, every other field 0."""
    r = np.zeros(len(ts), EVENT_DTYPE)
    r["ts"] = np.array(ts, dtype=np.uint64)
    r["kind"] = 1
    r["side"] = 1
    return r


def scenario_at(path: Path, ts: list[int], meta: dict[str, object] = META) -> Path:
    """``path`` written as a scenario of book deltas at ``ts``."""
    write_events(path, meta, deltas_at(ts))
    return path
