"""The live shadow: one order stream fed to two gateways at once, their reports compared
frame by frame as they arrive (``hotpath shadow --wire``; docs/canary.md).

Both gateways get the same EVENTS frames. Each frame is answered by one REPORTS frame per
gateway; as soon as both answers of a frame are in, their report records are compared, and
the first difference stops the tee: its input event (the reports carry ``event_index``)
and both reports are what the command shows, worded as ``hotpath shadow`` words them.
When every frame agrees, both sessions are finished and their FINISHED digests must also
be equal, and each must be the digest of the reports the tee received.
"""

from __future__ import annotations

import contextlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from hotpath_format import EventFile, report_digest
from hotpath_lab.shadow import Divergence, context, first_divergence
from hotpath_lab.storage.latency_model import LatencySummary
from hotpath_lab.wire.client import GatewayLink, zmq_context
from hotpath_lab.wire.fanout import (
    DEFAULT_MAX_BATCH,
    DEFAULT_WINDOW,
    Lane,
    finish_all,
    play,
    start_all,
)
from hotpath_lab.wire.perturb import perturbed
from hotpath_lab.wire.session import started
from hotpath_lab.wire.targets import TARGETS, GatewayShape

DEFAULT_REFERENCE = "wire-python"
DEFAULT_CANDIDATE = "wire-rust"
PARK = GatewayShape(poll="park")
"""The tools that fan out start several gateways beside a Python process on a shared
machine: a wire-rust that busy-polls would take a whole core from the others."""


@dataclass(frozen=True)
class TeeSettings:
    reference: str = DEFAULT_REFERENCE
    candidate: str = DEFAULT_CANDIDATE
    events: int | None = None
    """Only the scenario's first N events (``None``: all)."""
    perturb_event: int | None = None
    """Testing aid: this event is altered in the candidate's copy (``wire.perturb``)."""
    window: int = DEFAULT_WINDOW
    max_batch: int = DEFAULT_MAX_BATCH
    shape: GatewayShape = PARK


@dataclass(frozen=True)
class TeeDivergence:
    """The first report where the two gateways differ."""

    divergence: Divergence
    """Positions and records (``event_index`` is the scenario's event)."""
    frame: int
    """The EVENTS frame (seq) whose answers differ."""
    context: dict[str, Any]
    """``shadow.context``: the input events around it, each side's reports before it."""


@dataclass(frozen=True)
class TeeOutcome:
    settings: TeeSettings
    events: int
    frames: int
    frames_compared: int
    reports: dict[str, int]
    latency: dict[str, LatencySummary]
    """Per order request, frame sent → its REPORTS read, measured through this tee."""
    divergence: TeeDivergence | None
    finished: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Each gateway's FINISHED summary (only when every frame agreed)."""
    digest_problem: str | None = None
    """Why the digests disagree although every report did (``None``: they agree)."""

    @property
    def identical(self) -> bool:
        return self.divergence is None and self.digest_problem is None


def check_settings(s: TeeSettings) -> None:
    """Raises ``ValueError`` naming the option that no tee can use."""
    for option, name in (("--builds", s.reference), ("--builds", s.candidate)):
        if name not in TARGETS or TARGETS[name].kind != "gateway":
            raise ValueError(f"{option}: {name!r} is not a gateway (wire-rust, wire-python)")
    if s.window < 1 or not 1 <= s.max_batch <= 4096:
        raise ValueError("--window must be at least 1 and --max-batch in 1..4096")
    if s.events is not None and s.events < 1:
        raise ValueError(f"--events must be at least 1, got {s.events}")


def run_tee(scenario: EventFile, s: TeeSettings, log_dir: Path | None = None) -> TeeOutcome:
    """Starts both gateways, tees the scenario through them, stops them."""
    check_settings(s)
    records = np.asarray(scenario.records[: s.events] if s.events else scenario.records)
    candidate_records = (
        records if s.perturb_event is None else perturbed(records, s.perturb_event, scenario.meta)
    )
    origin = np.arange(len(records), dtype=np.int64)
    with contextlib.ExitStack() as stack:
        logs = log_dir or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="tee-")))
        context_ = stack.enter_context(zmq_context())
        lanes = []
        gateways = []
        for role, name, recs in (("reference", s.reference, records),
                                 ("candidate", s.candidate, candidate_records)):  # fmt: skip
            gw = stack.enter_context(
                started(TARGETS[name], s.shape, logs / f"{role}-{name}.log", core=None)
            )
            assert gw.listening is not None
            gateways.append(gw)
            link = GatewayLink(name, gw.listening.endpoint, context_)
            stack.callback(link.close)
            lanes.append(Lane(name, link, recs, origin, max_batch=s.max_batch))
        ref, cand = lanes
        found: list[TeeDivergence] = []
        compared = 0

        def on_answer(lane: Lane, k: int, reports: np.ndarray) -> bool:
            nonlocal compared
            while compared < min(len(ref.answers), len(cand.answers)):
                j = compared
                compared += 1
                if first_divergence(ref.answers[j], cand.answers[j]) is not None:
                    found.append(_locate(records, ref, cand, j))
                    return False
            return True

        start_all(lanes, scenario.meta)
        if play(lanes, on_answer, window=s.window):
            finish_all(lanes)
        for gw in gateways:
            gw.stop()
    finished = {lane.name: lane.finished for lane in lanes if lane.finished is not None}
    return TeeOutcome(
        settings=s,
        events=len(records),
        frames=ref.frames,
        frames_compared=compared,
        reports={lane.name: sum(len(a) for a in lane.answers) for lane in lanes},
        latency={lane.name: lane.order_latency() for lane in lanes},
        divergence=found[0] if found else None,
        finished=finished,
        digest_problem=None if found else _digest_problem(lanes),
    )


def _locate(records: np.ndarray, ref: Lane, cand: Lane, k: int) -> TeeDivergence:
    """The divergence within frame ``k`` (every earlier frame agreed), as positions in
    the whole report streams."""
    a = np.concatenate(ref.answers[: k + 1])
    b = np.concatenate(cand.answers[: k + 1])
    d = first_divergence(a, b)
    assert d is not None
    d.event_index = ref.scenario_event(d.event_index)
    return TeeDivergence(d, k + 1, context(d, records, a, b))


def _digest_problem(lanes: list[Lane]) -> str | None:
    """Every report agreed: the two FINISHED digests must be equal and each must be the
    digest of what the tee received from that gateway."""
    ref, cand = lanes
    assert ref.finished is not None and cand.finished is not None
    for lane in lanes:
        assert lane.finished is not None
        own = report_digest(lane.reports())
        if lane.finished.get("digest") != own:
            return (
                f"{lane.name}'s FINISHED digest {lane.finished.get('digest')} is not the digest "
                f"of the {len(lane.reports()):,} reports it sent ({own})"
            )
    if ref.finished["digest"] != cand.finished["digest"]:
        return f"FINISHED digests differ: {ref.finished['digest']} ≠ {cand.finished['digest']}"
    return None
