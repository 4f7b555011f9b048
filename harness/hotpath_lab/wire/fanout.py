"""One scenario fanned out to several gateways at once, each answer seen as it arrives: the
engine under ``hotpath shadow --wire`` (a tee) and ``hotpath canary`` (a router).

Each *lane* is one gateway session and the events it is given, cut into EVENTS frames of at
most ``max_batch`` events (seq 1, 2, …). Every lane sends as fast as its window allows (at
most ``window`` frames unanswered, like ``hotpath-loadgen --pace max``) and lanes do not
wait for each other. Every REPORTS frame is handed to a callback the moment it is read,
which can stop the play (the tee stops at the first divergence). The stamps — when each
frame went to the socket and when its answer was read — are taken by this Python process:
latencies measured here include the tee's own time and are not the gateways' figures
(those are ``hotpath bench --mode wire``'s).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import zmq

from hotpath_format import ScenarioMeta
from hotpath_format.codes import WireKind
from hotpath_lab.storage import decode
from hotpath_lab.storage.latency_model import LatencySummary
from hotpath_lab.wire.client import GatewayLink
from hotpath_lab.wire.partition import order_requests
from hotpath_lab.wire.process import GatewayFailed

DEFAULT_WINDOW = 2
DEFAULT_MAX_BATCH = 256
"""The load generator's defaults (docs/wire.md, "Window")."""


@dataclass
class Lane:
    """One gateway session: the events it receives and what it answered."""

    name: str
    link: GatewayLink
    records: np.ndarray
    origin: np.ndarray
    """The scenario index of each of ``records`` (a gateway numbers events 0, 1, … as it
    receives them: ``origin[event_index]`` is the scenario's event)."""
    max_batch: int = DEFAULT_MAX_BATCH
    sent_ns: np.ndarray = field(init=False)
    answered_ns: np.ndarray = field(init=False)
    answers: list[np.ndarray] = field(init=False, default_factory=list)
    finished: dict[str, Any] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.sent_ns = np.zeros(self.frames, np.uint64)
        self.answered_ns = np.zeros(self.frames, np.uint64)

    @property
    def frames(self) -> int:
        return -(-len(self.records) // self.max_batch)

    def frame(self, k: int) -> np.ndarray:
        """The events of frame ``k`` (seq ``k + 1``)."""
        return self.records[k * self.max_batch : (k + 1) * self.max_batch]

    def reports(self) -> np.ndarray:
        """Every report answered so far, in order."""
        from hotpath_format import REPORT_DTYPE

        return np.concatenate(self.answers) if self.answers else np.zeros(0, REPORT_DTYPE)

    def scenario_event(self, event_index: int) -> int:
        """The scenario's index of this lane's event ``event_index``."""
        return int(self.origin[event_index])

    def order_latency(self) -> LatencySummary:
        """Per order request: its frame's answer − its frame's send, as this process saw them
        (frames not answered are left out)."""
        per_frame = np.add.reduceat(order_requests(self.records).astype(np.int64),
                                    np.arange(0, len(self.records), self.max_batch)) \
            if len(self.records) else np.zeros(0, np.int64)  # fmt: skip
        return gaps(np.repeat(self.answered_ns, per_frame), np.repeat(self.sent_ns, per_frame))

    def frame_latency(self) -> LatencySummary:
        return gaps(self.answered_ns, self.sent_ns)

    @property
    def orders(self) -> int:
        return int(order_requests(self.records).sum())


def gaps(later: np.ndarray, earlier: np.ndarray) -> LatencySummary:
    """HDR summary of ``later − earlier`` (the lab's recorder; 0 stamps left out)."""
    from hotpath_toolkit import summarize_gaps

    summary = summarize_gaps(later.astype(np.uint64), earlier.astype(np.uint64))
    return decode(LatencySummary, summary, "latency summary")


AnswerCallback = Callable[[Lane, int, np.ndarray], bool]
"""``on_answer(lane, k, reports)`` for frame ``k``'s REPORTS; ``False`` stops the play."""


def start_all(lanes: list[Lane], meta: ScenarioMeta) -> None:
    for lane in lanes:
        lane.link.start(meta)


def finish_all(lanes: list[Lane]) -> None:
    for lane in lanes:
        lane.finished = lane.link.finish()


def play(lanes: list[Lane], on_answer: AnswerCallback, *, window: int = DEFAULT_WINDOW) -> bool:
    """Sends every lane's frames and reads their answers; ``True`` when every frame was
    answered, ``False`` when the callback stopped it (answers still on their way are left
    unread: the caller ends those sessions)."""
    if window < 1:
        raise ValueError(f"the window must be at least 1 frame, got {window}")
    by_socket = {lane.link.socket: lane for lane in lanes}
    sent = {lane.name: 0 for lane in lanes}
    answered = {lane.name: 0 for lane in lanes}
    poller = zmq.Poller()
    for lane in lanes:
        poller.register(lane.link.socket, zmq.POLLIN)
    while True:
        for lane in lanes:
            while sent[lane.name] < lane.frames and sent[lane.name] - answered[lane.name] < window:
                k = sent[lane.name]
                lane.sent_ns[k] = lane.link.send_events(k + 1, lane.frame(k))
                sent[lane.name] += 1
        waiting = [lane for lane in lanes if answered[lane.name] < lane.frames]
        if not waiting:
            return True
        timeout_s = min(lane.link.timeout_s for lane in waiting)
        ready = dict(poller.poll(int(timeout_s * 1000)))
        # a lane silent past its timeout fails even while the others keep answering
        now = time.monotonic_ns()
        stuck = [x for x in waiting
                 if now - int(x.sent_ns[answered[x.name]]) > x.link.timeout_s * 1e9]  # fmt: skip
        if stuck:
            names = ", ".join(f"{x.name} (frame {answered[x.name] + 1})" for x in stuck)
            raise GatewayFailed(f"no answer within {timeout_s:g} s from {names}")
        for socket in ready:
            lane = by_socket[socket]
            while True:
                try:
                    frame = socket.recv(zmq.NOBLOCK)
                except zmq.Again:
                    break
                k = answered[lane.name]
                answer = lane.link.parse(frame)
                if (answer.header.kind, answer.header.seq) != (WireKind.REPORTS, k + 1):
                    raise GatewayFailed(
                        f"gateway {lane.name}: expected REPORTS seq {k + 1}, got "
                        f"{answer.header.kind.name} seq {answer.header.seq}"
                    )
                lane.answered_ns[k] = answer.arrived_ns
                reports = answer.reports()
                lane.answers.append(reports)
                answered[lane.name] += 1
                if not on_answer(lane, k, reports):
                    return False
