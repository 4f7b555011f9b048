"""``NAME.wire.json``, the load generator's summary of one timed session (schema
``hotpath.wire/1``, docs/wire.md), as frozen dataclasses read through the run model's codec:
a field that is missing, mistyped or unknown is refused naming the file and the field, so
the harness and the generator cannot drift apart silently."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from hotpath_lab.storage.codec import Json, decode
from hotpath_lab.storage.errors import ResultsError
from hotpath_lab.storage.latency_model import LatencySummary
from hotpath_lab.storage.wire_model import Trend, WireTargetKind

WIRE_SCHEMA = "hotpath.wire/1"


@dataclass(frozen=True, kw_only=True)
class SessionScenario:
    path: str
    events: int
    """Sent in the timed session (``--limit`` may cut the scenario short)."""
    order_requests: int
    market_data_events: int


@dataclass(frozen=True, kw_only=True)
class WireLatencies:
    e2e: LatencySummary
    service: LatencySummary
    tick_to_book: LatencySummary
    send_lag: LatencySummary


@dataclass(frozen=True, kw_only=True)
class LoadgenReport:
    schema: Literal["hotpath.wire/1"]
    label: str
    target: WireTargetKind
    connect: str
    scenario: SessionScenario
    pace: str
    speed: float
    rate_per_s: float | None
    max_batch: int
    window: int
    warmup_events: int
    frames: int
    batch_mean: float
    batch_max: int
    wall_s: float
    offered_per_s: float | None
    achieved_per_s: float
    latency_ns: WireLatencies
    in_flight_max: int
    trend: Trend
    cpu_s: float
    reports: int | None
    digest: str | None
    gateway: Json
    """The FINISHED summary as the gateway sent it (``None`` for a floor)."""
    errors: Mapping[str, int]
    t0_ns: int
    clock: str

    @property
    def gateway_digest(self) -> str | None:
        g = self.gateway
        digest = g.get("digest") if isinstance(g, dict) else None
        return digest if isinstance(digest, str) else None


def read_loadgen_report(path: Path) -> LoadgenReport:
    """Raises ``ResultsError`` naming ``path`` (and the field) if it is not a valid
    ``hotpath.wire/1`` document."""
    try:
        data = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError) as exc:
        raise ResultsError(f"{path}: cannot read: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise ResultsError(f"{path}: not valid JSON: {exc}") from exc
    schema = data.get("schema") if isinstance(data, dict) else None
    if schema != WIRE_SCHEMA:
        raise ResultsError(f"{path}: schema {schema!r} is not {WIRE_SCHEMA!r}")
    return decode(LoadgenReport, data, str(path))
