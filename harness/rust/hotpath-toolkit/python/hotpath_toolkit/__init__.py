"""The hotpath lab's native toolkit, as a Python extension.

The scenario generator, the rust-native measuring loop (the engine of ``hotpath-core``
called as a library inside a Rust loop: the ``rust-native`` build), the HDR recorder every
percentile of a run comes from, and the machine's noise probe. The compiled module
``hotpath_toolkit._native`` is private; this package re-exports it with numpy-facing
wrappers (records go in as ``EVENT_DTYPE`` arrays, reports come back as ``REPORT_DTYPE``).

Builds never import this package: the rust-ffi build is ``hotpath_rs``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from hotpath_format import EVENT_DTYPE, REPORT_DTYPE
from hotpath_toolkit import _native
from hotpath_toolkit._native import (
    BOARD_KINDS,
    BUILD_PROFILE,
    GENERATOR,
    ReplayProgress,
    ScenarioConfigError,
    __version__,
    counted_region,
    generate_scenario,
    measure_jitter,
    overlay_strategy,
    validate_scenario_config,
)

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


def _event_bytes(records: np.ndarray) -> np.ndarray:
    if records.dtype != EVENT_DTYPE:
        raise TypeError(f"expected EVENT_DTYPE records, got dtype {records.dtype}")
    return np.ascontiguousarray(records).view(np.uint8)


def _u64(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=np.uint64)


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
    drop_copy: tuple[str, str, int] | None = None,
) -> dict[str, Any]:
    """Paced, timed replay with the loop in Rust; see ``docs/measurement.md``. With
    ``drop_copy=(url, prefix, snapshot_every)`` the reports are also published through the
    Rust drop-copy (docs/dropcopy.md) and ``out["drop_copy"]`` holds its figures."""
    out: dict[str, Any] = _native.native_run(
        meta_json,
        _event_bytes(records),
        pace,
        speed,
        stage_timing=stage_timing,
        limit=limit,
        empty=empty,
        progress=progress,
        drop_copy=drop_copy,
    )
    out["reports"] = out["reports"].view(REPORT_DTYPE)
    return out


def replay(meta_json: str, records: np.ndarray) -> np.ndarray:
    """The rust-native build over the whole stream, as fast as it goes (GIL released):
    its reports, for ``hotpath run`` and ``shadow``."""
    return _native.replay(meta_json, _event_bytes(records)).view(REPORT_DTYPE)


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
    out: dict[str, Any] = _native.record_timings(
        np.ascontiguousarray(kinds, dtype=np.uint8),
        _u64(intended),
        _u64(start),
        _u64(end),
        _u64(validated),
        _u64(risked),
        _u64(executed),
        int(t0),
        int(interval_ns),
        float(start_epoch_s),
    )
    return out


def summarize_gaps(later: np.ndarray, earlier: np.ndarray) -> dict[str, Any]:
    """The HDR summary (``count``, ``min``, ``p50`` … ``p9999``, ``max``, ``mean``) of
    ``later - earlier`` per event, in ns; 0 stamps are left out, negative gaps count as 0."""
    out: dict[str, Any] = _native.summarize_gaps(_u64(later), _u64(earlier))
    return out


def readers_pass(
    meta_json: str,
    records: np.ndarray,
    board: str | None,
    readers: int,
    pace: str,
    speed: float,
    *,
    limit: int | None = None,
) -> dict[str, Any]:
    """One pass of the contention experiment (``docs/readers.md``), GIL released: the
    engine publishing to ``board`` (``None``: no board) while ``readers`` threads poll it."""
    out: dict[str, Any] = _native.readers_pass(
        meta_json, _event_bytes(records), board, readers, pace, speed, limit=limit
    )
    return out
