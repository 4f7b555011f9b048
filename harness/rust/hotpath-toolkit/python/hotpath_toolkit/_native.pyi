"""Type stubs for the compiled extension ``hotpath_toolkit._native`` (hand-written).

Buffers of event records are passed as a contiguous ``uint8`` view of an ``EVENT_DTYPE``
array; reports come back as ``uint8`` arrays to be viewed as ``REPORT_DTYPE``; stamps are
``uint64`` ns of ``CLOCK_MONOTONIC`` (0 = did not happen).
"""

from collections.abc import Callable
from typing import Any, final

import numpy as np
import numpy.typing as npt

__all__ = [
    "BOARD_KINDS",
    "BUILD_PROFILE",
    "GENERATOR",
    "ReplayProgress",
    "ScenarioConfigError",
    "__version__",
    "counted_region",
    "generate_scenario",
    "measure_jitter",
    "native_run",
    "overlay_strategy",
    "readers_pass",
    "record_timings",
    "replay",
    "summarize_gaps",
    "validate_scenario_config",
]

__version__: str
BUILD_PROFILE: str
"""``release`` or ``debug``: the Cargo profile the module was built with."""

BOARD_KINDS: tuple[str, ...]
"""The book boards of the contention experiment, in report order: ``("epoch", "mutex")``."""

GENERATOR: str
"""``"hotpath-scenario <version>+model.<revision>"``: the scenario generator's identity."""

class ScenarioConfigError(ValueError):
    """A scenario config, scale or market stream the generator cannot use."""

    field: str | None
    """Path of the value that breaks a rule in the config JSON (``market.phases[2].ramp_ns``),
    or None when the error is not about one value (malformed JSON, a bad scale or stream)."""
    detail: str
    """What is wrong, without the field."""

@final
class ReplayProgress:
    """Progress of a native pass, polled from another thread."""

    def __new__(cls) -> ReplayProgress: ...
    def snapshot(self) -> tuple[int, int]:
        """``(done, total)`` events."""

def native_run(
    meta_json: str,
    records: npt.NDArray[np.uint8],
    pace: str,
    speed: float,
    *,
    stage_timing: bool = True,
    limit: int | None = None,
    empty: bool = False,
    progress: ReplayProgress | None = None,
    drop_copy: tuple[str, str, int] | None = None,
) -> dict[str, Any]:
    """The rust-native build's paced, timed pass (GIL released): ``reports`` (uint8),
    ``t0``, ``spin_ns``, ``spin_lost_ns`` (of the spin, time the thread was descheduled),
    ``live_e2e`` (a summary) and the ``intended``, ``start``, ``end``, ``validated``,
    ``risked``, ``executed`` stamp arrays. ``drop_copy=(url, prefix, snapshot_every)`` also
    publishes the reports through the Rust drop-copy (docs/dropcopy.md) and adds
    ``drop_copy``, the publisher figures (``dict[str, int | float | str | None]``);
    ``ConnectionError`` if Redis cannot be reached, ``ValueError`` for a bad URL or with
    ``empty=True``."""

def replay(meta_json: str, records: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """The rust-native build over the whole stream, unpaced and untimed (GIL released)."""

def record_timings(
    kinds: npt.NDArray[np.uint8],
    intended: npt.NDArray[np.uint64],
    start: npt.NDArray[np.uint64],
    end: npt.NDArray[np.uint64],
    validated: npt.NDArray[np.uint64],
    risked: npt.NDArray[np.uint64],
    executed: npt.NDArray[np.uint64],
    t0: int,
    interval_ns: int,
    start_epoch_s: float,
) -> dict[str, Any]:
    """``{"summaries": {metric: summary}, "hgrm": {metric: text}, "hlog": text}``."""

def summarize_gaps(
    later: npt.NDArray[np.uint64], earlier: npt.NDArray[np.uint64]
) -> dict[str, Any]:
    """HDR summary of ``later - earlier`` per event (0 stamps left out, negatives as 0)."""

def measure_jitter(seconds: float = 1.0, threshold_ns: int = 1000) -> dict[str, Any]:
    """Spins on the calling thread (GIL released) and reports every gap between clock reads
    above ``threshold_ns``: ``count``, ``per_second``, ``stolen_ns``, ``stolen_share``,
    ``p50_ns``, ``p99_ns``, ``max_ns``, ``duration_ns``, ``threshold_ns``."""

def generate_scenario(
    config_json: str, seed: int, scale: float = 1.0
) -> tuple[npt.NDArray[np.uint64], str]:
    """Generates a scenario (GIL released): six uint64 words per record (view them as
    ``EVENT_DTYPE``) and the run's counters as JSON."""

def overlay_strategy(
    market: npt.NDArray[np.uint8], config_json: str, seed: int
) -> tuple[npt.NDArray[np.uint64], str]:
    """Lays the strategy over market-data records (a uint8 view of ``EVENT_DTYPE``);
    returns words and counters like ``generate_scenario``."""

def validate_scenario_config(config_json: str) -> None:
    """Checks a generator config JSON without generating: the one place a manifest's rules
    are checked. Raises ``ScenarioConfigError`` naming the field."""

def counted_region(f: Callable[[], Any]) -> Any:
    """Calls ``f()`` inside the frame the gate's callgrind run counts (docs/gate.md)."""

def readers_pass(
    meta_json: str,
    records: npt.NDArray[np.uint8],
    board: str | None,
    readers: int,
    pace: str,
    speed: float,
    *,
    limit: int | None = None,
) -> dict[str, Any]:
    """One pass of the contention experiment, GIL released: ``board``, ``readers``,
    ``engine`` and ``engine_e2e`` (summaries, ns), ``events``, ``engine_wall_ns``,
    ``publications``, ``memory`` (``snapshot_bytes``, ``fixed_bytes``, ``allocated``,
    ``live``, ``peak_live``, ``peak_bytes``), ``reader_figures`` (one dict per reader) and
    ``digest``. ``ValueError`` for an unknown board, a bad pace or readers without a board."""
