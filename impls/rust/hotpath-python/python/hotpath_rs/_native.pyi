"""Type stubs for the compiled extension ``hotpath_rs._native`` (hand-written).

Buffers of event records are passed as a contiguous ``uint8`` view of an ``EVENT_DTYPE``
array; reports come back as ``uint8`` arrays to be viewed as ``REPORT_DTYPE``.
"""

from typing import Any

import numpy as np
import numpy.typing as npt

__version__: str
BUILD_PROFILE: str

GENERATOR: str
"""``"hotpath-scenario <version>+model.<revision>"``: the scenario generator's identity."""

class ScenarioConfigError(ValueError):
    """A scenario config, scale or market stream the generator cannot use."""

    field: str | None
    """Path of the value that breaks a rule in the config JSON (``market.phases[2].ramp_ns``),
    or None when the error is not about one value (malformed JSON, a bad scale or stream)."""
    detail: str
    """What is wrong, without the field."""

class FormatError(ValueError):
    """A record file or buffer breaks docs/formats.md."""

class MetadataError(ValueError):
    """Scenario metadata is not a usable configuration."""

class Engine:
    """The order hot path engine; one instance per session."""

    def __init__(self, meta_json: str, stage_events: int = 0, expected_orders: int = 0) -> None: ...
    def on_event(
        self,
        index: int,
        ts: int,
        id: int,
        orig_id: int,
        price: int,
        qty: int,
        instrument: int,
        account: int,
        kind: int,
        side: int,
        order_type: int,
        venue: int,
        /,
    ) -> None: ...
    def replay(self, records: npt.NDArray[np.uint8], first_index: int = 0) -> None: ...
    def report_bytes(self) -> npt.NDArray[np.uint8]: ...
    def report_count(self) -> int: ...
    def digest(self) -> str: ...
    def stage_times(
        self,
    ) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64], npt.NDArray[np.uint64]] | None: ...

class ReplayProgress:
    """Progress of a native pass, polled from another thread."""

    def __init__(self) -> None: ...
    def snapshot(self) -> tuple[int, int]: ...

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
) -> dict[str, Any]: ...
def replay(meta_json: str, records: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]: ...
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
) -> dict[str, Any]: ...
def measure_jitter(seconds: float = 1.0, threshold_ns: int = 1000) -> dict[str, Any]:
    """Spins on the calling thread (GIL released) and reports every gap between clock reads
    above ``threshold_ns``: ``count``, ``per_second``, ``stolen_ns``, ``stolen_share``,
    ``p50_ns``, ``p99_ns``, ``max_ns``, ``duration_ns``, ``threshold_ns``."""

def validate_scenario_config(config_json: str) -> None:
    """Checks a generator config without generating; raises ``ScenarioConfigError``."""

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
