"""The tuned Python build (``python-tuned``): the Python asyncio build with what a Python
team tries before a rewrite, each tuning a switch so that one run measures what each bought
(``docs/tuned.md``).

- ``Tuning``: which switches are on (``SWITCHES``; a build spec's ``python-tuned+freeze+uvloop``);
- ``TunedService``: the engine for one pass, how it is called, on which event loop;
- ``GcPolicy``: what the GC switches do once the warm-up is over (``gc_policy(tuning)``);
- ``TunedEngine`` / ``CollectingEngine``: the Python engine with packed reports, and with
  the scheduled collections of ``gc-off`` (``ScheduledCollections``).
"""

from __future__ import annotations

from hotpath_tuned.engine import CollectingEngine, TunedEngine
from hotpath_tuned.gc_policy import COLLECT_EVERY, THRESHOLDS, GcPolicy, ScheduledCollections
from hotpath_tuned.packed_reports import PackedReports
from hotpath_tuned.service import TunedService, gc_policy, loop_factory
from hotpath_tuned.switches import DEFAULT, SWITCHES, Tuning, UnknownSwitch

__all__ = [
    "COLLECT_EVERY",
    "DEFAULT",
    "SWITCHES",
    "THRESHOLDS",
    "CollectingEngine",
    "GcPolicy",
    "PackedReports",
    "ScheduledCollections",
    "TunedEngine",
    "TunedService",
    "Tuning",
    "UnknownSwitch",
    "gc_policy",
    "loop_factory",
]
