"""The collector's policy for a tuned process, applied once the warm-up is over.

``freeze``: the warm-up's survivors (modules, the scenario, the harness) move to the
permanent generation, so no later full collection walks them again. ``thresholds``: the
young generation is collected every ``THRESHOLDS[0]`` net container allocations instead of
700. ``gc-off``: the automatic collector is off; the engine (``ScheduledCollections``) runs
a young collection every ``COLLECT_EVERY`` events, at a known place, and records each pause.
The Python build's engine makes no reference cycles (a full collection after a session
finds nothing to free: ``tests/hotpath_tuned``), so with the collector off its heap is
bounded by reference counting alone; the scheduled collections are the safety net that
keeps it so if a cycle ever appears, and their pauses are what that net costs.
"""

from __future__ import annotations

import gc
from array import array
from dataclasses import dataclass, field
from time import perf_counter_ns

import numpy as np

THRESHOLDS = (50_000, 20, 100)
"""``gc.set_threshold`` under ``thresholds`` (CPython's default is (700, 10, 10))."""

COLLECT_EVERY = 5_000
"""Events between two scheduled collections under ``gc-off``."""

COLLECT_GENERATION = 1
"""What a scheduled collection walks: generations 0 and 1 (the objects made since the
previous one), never the old generation."""


@dataclass
class GcPolicy:
    """What ``warmed_up`` does to the collector; ``restore`` puts the previous state back."""

    freeze: bool
    thresholds: bool
    off: bool
    _saved: tuple[tuple[int, int, int], bool] | None = field(default=None, init=False, repr=False)

    def apply(self) -> None:
        """Applies the policy (once; a second call does nothing until ``restore``)."""
        if self._saved is not None:
            return
        threshold = gc.get_threshold()
        self._saved = ((threshold[0], threshold[1], threshold[2]), gc.isenabled())
        if self.freeze:
            gc.collect()  # the warm-up's garbage must not be frozen with its survivors
            gc.freeze()
        if self.thresholds:
            gc.set_threshold(*THRESHOLDS)
        if self.off:
            gc.disable()

    def restore(self) -> None:
        """The collector as before ``apply``: thresholds, enabled, nothing frozen."""
        if self._saved is None:
            return
        threshold, enabled = self._saved
        gc.set_threshold(*threshold)
        if self.freeze:
            gc.unfreeze()
        if enabled:
            gc.enable()
        self._saved = None


class ScheduledCollections:
    """The collections ``gc-off`` runs itself: one every ``every`` events, after the event
    whose index reaches the schedule (so its pause is in that event's latency, measured like
    any other cost). Each is recorded: the event index, the pause, what it freed."""

    __slots__ = ("_at", "_collected", "_count", "_next", "_pause_ns", "every", "generation")

    def __init__(self, n_events: int, every: int = COLLECT_EVERY) -> None:
        if every <= 0:
            raise ValueError(f"every must be > 0, got {every}")
        self.every = every
        self.generation = COLLECT_GENERATION
        self._next = every - 1
        self._count = 0
        slots = n_events // every + 1  # preallocated: recording allocates nothing
        self._at = array("q", bytes(8 * slots))
        self._pause_ns = array("q", bytes(8 * slots))
        self._collected = array("q", bytes(8 * slots))

    @property
    def due(self) -> int:
        """The event index after which the next collection runs."""
        return self._next

    def collect(self, index: int) -> None:
        """Runs the collection due at ``index`` and schedules the next."""
        start = perf_counter_ns()
        collected = gc.collect(self.generation)
        stop = perf_counter_ns()
        k = self._count
        if k < len(self._at):  # always, when the events are the n_events it was sized for
            self._at[k] = index
            self._pause_ns[k] = stop - start
            self._collected[k] = collected
            self._count = k + 1
        self._next = index + self.every

    def record(self) -> dict[str, np.ndarray]:
        """``event_index``, ``pause_ns`` and ``collected`` of every collection run so far."""
        n = self._count
        return {
            "event_index": np.frombuffer(self._at, np.int64)[:n].copy(),
            "pause_ns": np.frombuffer(self._pause_ns, np.int64)[:n].copy(),
            "collected": np.frombuffer(self._collected, np.int64)[:n].copy(),
        }
