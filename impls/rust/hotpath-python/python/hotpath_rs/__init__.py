"""The Rust build of the hotpath order pipeline, as a Python extension.

The compiled module ``hotpath_rs._native`` is private; this package re-exports it with thin
numpy-facing wrappers (records go in as a uint8 view of an ``EVENT_DTYPE`` array and are
read in place; reports come back as ``REPORT_DTYPE`` arrays).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from hotpath_format import EVENT_DTYPE, REPORT_DTYPE
from hotpath_rs import _native
from hotpath_rs._native import (
    BUILD_PROFILE,
    GENERATOR,
    FormatError,
    MetadataError,
    ReplayProgress,
    ScenarioConfigError,
    __version__,
    generate_scenario,
    measure_jitter,
    overlay_strategy,
    validate_scenario_config,
)

__all__ = [
    "BUILD_PROFILE",
    "GENERATOR",
    "Engine",
    "FormatError",
    "MetadataError",
    "ReplayProgress",
    "ScenarioConfigError",
    "__version__",
    "generate_scenario",
    "measure_jitter",
    "native_run",
    "overlay_strategy",
    "record_timings",
    "replay",
    "validate_scenario_config",
]


def _event_bytes(records: np.ndarray) -> np.ndarray:
    if records.dtype != EVENT_DTYPE:
        raise TypeError(f"expected EVENT_DTYPE records, got dtype {records.dtype}")
    return np.ascontiguousarray(records).view(np.uint8)


def _reports(raw: np.ndarray) -> np.ndarray:
    return raw.view(REPORT_DTYPE)


class Engine:
    """The Rust engine, fed one event per call (``on_event``) or a batch (``replay``)."""

    __slots__ = ("_engine", "on_event")

    def __init__(self, meta_json: str, stage_events: int = 0, expected_orders: int = 0) -> None:
        self._engine = _native.Engine(meta_json, stage_events, expected_orders)
        # bound directly: no Python frame between the caller and Rust
        self.on_event = self._engine.on_event

    def replay(self, records: np.ndarray, first_index: int = 0) -> None:
        """Handles ``records`` in place with the GIL released."""
        self._engine.replay(_event_bytes(records), first_index)

    def report_array(self) -> np.ndarray:
        return _reports(self._engine.report_bytes())

    def report_count(self) -> int:
        return int(self._engine.report_count())

    def digest(self) -> str:
        return str(self._engine.digest())

    def stage_times(self) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        stamps: tuple[np.ndarray, np.ndarray, np.ndarray] | None = self._engine.stage_times()
        return stamps


def replay(meta_json: str, records: np.ndarray) -> np.ndarray:
    """The whole stream through a fresh engine as fast as possible (GIL released)."""
    return _reports(_native.replay(meta_json, _event_bytes(records)))


def native_run(
    meta_json: str,
    records: np.ndarray,
    pace: str,
    speed: float,
    *,
    stage_timing: bool = True,
    limit: int | None = None,
    empty: bool = False,
    progress: ReplayProgress | None = None,
) -> dict[str, Any]:
    """Paced, timed replay with the loop in Rust; see ``docs/measurement.md``."""
    out: dict[str, Any] = _native.native_run(
        meta_json,
        _event_bytes(records),
        pace,
        speed,
        stage_timing=stage_timing,
        limit=limit,
        empty=empty,
        progress=progress,
    )
    out["reports"] = _reports(out["reports"])
    return out


def record_timings(
    kinds: np.ndarray,
    intended: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    validated: np.ndarray,
    risked: np.ndarray,
    executed: np.ndarray,
    t0: int,
    interval_ns: int,
    start_epoch_s: float,
) -> dict[str, Any]:
    """HdrHistograms of one timed pass: summaries, ``.hgrm`` texts and the ``.hlog``."""

    def u64(a: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(a, dtype=np.uint64)

    out: dict[str, Any] = _native.record_timings(
        np.ascontiguousarray(kinds, dtype=np.uint8),
        u64(intended),
        u64(start),
        u64(end),
        u64(validated),
        u64(risked),
        u64(executed),
        int(t0),
        int(interval_ns),
        float(start_epoch_s),
    )
    return out
