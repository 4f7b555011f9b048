"""Per-stage wall-clock stamps, written into storage allocated before the run.

The engine writes ``time.perf_counter_ns()`` at the end of each stage it reaches; a stamp
left at 0 means the event never reached that stage (a validation reject has no risk or
execution stamp, market data has only ``book_updated``). Nothing is allocated while the
run is measured: the arrays are sized by the number of events up front.
"""

from __future__ import annotations

from array import array

import numpy as np


class StageTimes:
    """Stage-end stamps (ns, ``perf_counter_ns``) indexed by event index."""

    __slots__ = ("book_updated", "executed", "n_events", "risk_checked", "validated")

    def __init__(self, n_events: int) -> None:
        if n_events < 0:
            raise ValueError(f"n_events must be >= 0, got {n_events}")
        self.n_events = n_events
        zeros = bytes(8 * n_events)
        self.validated = array("q", zeros)
        """Order requests: validation (incl. MARKET conversion) finished."""
        self.risk_checked = array("q", zeros)
        """Order requests: risk finished (a CANCEL passes straight through)."""
        self.executed = array("q", zeros)
        """Order requests: execution finished, every report of the request emitted."""
        self.book_updated = array("q", zeros)
        """Market data: the book update and any fills (and kill switches) finished."""

    def as_numpy(self) -> dict[str, np.ndarray]:
        """Zero-copy int64 views of the four stamp arrays, by name."""
        return {
            name: np.frombuffer(getattr(self, name), dtype=np.int64)
            for name in ("validated", "risk_checked", "executed", "book_updated")
        }
