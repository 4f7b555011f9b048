"""A real gateway process on a free port and a real ZeroMQ client for it (``docs/wire.md``)."""

from __future__ import annotations

import json
import select
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import zmq

from hotpath_format import EVENT_DTYPE, REPORT_DTYPE, EventKind, ScenarioMeta
from hotpath_format.codes import OrderType, Side, WireKind, WireReject
from hotpath_format.wire import WIRE_HEADER_SIZE, Header, parse_header, records_frame, text_frame

REPO = Path(__file__).resolve().parents[2]
RUST_GATEWAY = REPO / "target" / "release" / "hotpath-gateway"


@dataclass(frozen=True)
class GatewayBuild:
    build: str
    """The name it gives in its listening line and READY."""
    command: list[str]


GATEWAYS: dict[str, GatewayBuild] = {
    "wire-python": GatewayBuild("wire-python", [sys.executable, "-m", "hotpath_asyncio.gateway"]),
    "wire-rust": GatewayBuild("wire-rust", [str(RUST_GATEWAY)]),
    # the Rust gateway's other shape: the engine on its own thread behind bounded rings
    "wire-rust-thread": GatewayBuild("wire-rust", [str(RUST_GATEWAY), "--engine", "thread"]),
}
LOOPBACK_ANY_PORT = "tcp://127.0.0.1:0"
ANSWER_TIMEOUT_S = 30.0
"""How long a client waits for one answer before it calls the gateway stuck (generous: only
a broken gateway ever gets near it)."""


class GatewayProcess:
    """``GATEWAYS[name] --bind tcp://127.0.0.1:0``, up once its ``listening`` line is read."""

    def __init__(self, name: str, stderr_path: Path) -> None:
        self.name = name
        self.build = GATEWAYS[name].build
        self._stderr_path = stderr_path
        self._stderr = stderr_path.open("wb")
        self.proc = subprocess.Popen(
            [*GATEWAYS[name].command, "--bind", LOOPBACK_ANY_PORT],
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], ANSWER_TIMEOUT_S)
        line = self.proc.stdout.readline() if ready else b""
        if not line:
            self.kill()
            raise AssertionError(f"{name} printed no listening line; stderr: {self.stderr()}")
        self.listening: dict[str, Any] = json.loads(line)
        self.endpoint: str = self.listening["listening"]
        self.pid = self.proc.pid
        assert self.listening["pid"] == self.pid, self.listening

    def stderr(self) -> str:
        self._stderr.flush()
        return self._stderr_path.read_text(errors="replace")[-2000:]

    def status_kb(self, field: str) -> int:
        """A memory figure of ``/proc/PID/status`` (``VmRSS``, ``VmHWM``) in kB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
        raise KeyError(field)

    def stop(self, sig: signal.Signals = signal.SIGTERM) -> tuple[int, dict[str, Any]]:
        """Sends ``sig``; returns the exit code and the ``stopped`` line."""
        self.proc.send_signal(sig)
        return self.wait_stopped()

    def wait_stopped(self) -> tuple[int, dict[str, Any]]:
        """Waits for the process to exit; returns the exit code and the ``stopped`` line."""
        try:
            out, _ = self.proc.communicate(timeout=ANSWER_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"{self.name} did not exit") from None
        lines = [json.loads(x) for x in out.splitlines() if x.strip()]
        stopped = [x for x in lines if "stopped" in x]
        assert len(stopped) == 1, f"expected one stopped line, got {out!r}; {self.stderr()}"
        return self.proc.returncode, stopped[0]

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self._stderr.close()


class WireClient:
    """A ``DEALER`` connected to a gateway; ``request`` is one frame and its one answer."""

    def __init__(self, endpoint: str, **options: int) -> None:
        self.context = zmq.Context()
        self.socket = self.context.socket(zmq.DEALER)
        for name, value in options.items():
            self.socket.setsockopt(getattr(zmq, name.upper()), value)
        self.socket.connect(endpoint)

    def close(self) -> None:
        self.socket.close(linger=0)
        self.context.term()

    def send(self, frame: bytes) -> None:
        self.socket.send(frame)

    def receive(self, timeout_s: float = ANSWER_TIMEOUT_S) -> Reply:
        if not self.socket.poll(int(timeout_s * 1000)):
            raise AssertionError(f"no answer within {timeout_s} s")
        return Reply(self.socket.recv())

    def request(self, frame: bytes) -> Reply:
        self.send(frame)
        return self.receive()

    def start(self, meta: ScenarioMeta) -> Reply:
        reply = self.request(start_frame(meta))
        assert reply.header.kind is WireKind.READY, reply
        return reply

    def finish(self) -> dict[str, Any]:
        reply = self.request(Header(WireKind.FINISH, 0, 0).to_bytes())
        assert reply.header.kind is WireKind.FINISHED, reply
        return reply.json()

    def play(self, records: np.ndarray, frame_events: int) -> bytes:
        """The records in EVENTS frames of ``frame_events`` (seq 1, 2, …), each answered
        before the next is sent; returns the REPORTS payloads joined."""
        payloads = []
        for seq, chunk in enumerate(chunks(records, frame_events), 1):
            reply = self.request(events_frame(seq, chunk))
            assert (reply.header.kind, reply.header.seq) == (WireKind.REPORTS, seq), reply
            payloads.append(reply.payload)
        return b"".join(payloads)

    def session(self, meta: ScenarioMeta, records: np.ndarray, frame_events: int) -> Played:
        """START, ``play``, FINISH."""
        self.start(meta)
        reports = self.play(records, frame_events)
        return Played(reports, self.finish())


@dataclass(frozen=True)
class Reply:
    frame: bytes

    @property
    def header(self) -> Header:
        return parse_header(self.frame)

    @property
    def payload(self) -> bytes:
        return self.frame[WIRE_HEADER_SIZE:]

    def json(self) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(self.payload)
        return result

    def error(self) -> tuple[WireReject, int, str]:
        """An ERROR's code, echoed seq and message."""
        assert self.header.kind is WireKind.ERROR, self
        return WireReject(self.payload[0]), self.header.seq, self.payload[1:].decode()

    def reports(self) -> np.ndarray:
        assert self.header.kind is WireKind.REPORTS, self
        return np.frombuffer(self.payload, REPORT_DTYPE)

    def __repr__(self) -> str:
        if len(self.frame) < WIRE_HEADER_SIZE:
            return f"Reply({self.frame!r})"
        return f"Reply({self.header}, {self.payload[:200]!r})"


@dataclass(frozen=True)
class Played:
    """What a session over the wire gave: the REPORTS payloads joined, and FINISHED."""

    reports: bytes
    finished: dict[str, Any]


def start_frame(meta: ScenarioMeta) -> bytes:
    return text_frame(WireKind.START, meta.to_json().encode())


def events_frame(seq: int, records: np.ndarray) -> bytes:
    assert records.dtype == EVENT_DTYPE
    return records_frame(WireKind.EVENTS, seq, records.tobytes(), len(records))


def chunks(records: np.ndarray, size: int) -> list[np.ndarray]:
    return [records[i : i + size] for i in range(0, len(records), size)]


def refused_orders(first_id: int, n: int, account: int) -> np.ndarray:
    """NEW orders of an account that does not exist: one REJECT report each, no state."""
    ev = np.zeros(n, EVENT_DTYPE)
    ev["id"] = np.arange(first_id, first_id + n)
    ev["kind"] = EventKind.NEW_ORDER
    ev["side"] = Side.BUY
    ev["order_type"] = OrderType.LIMIT
    ev["price"] = 100
    ev["qty"] = 1
    ev["account"] = account
    return ev


def send_until_pushed_back(client: WireClient, frame: Callable[[int], bytes], seqs: range) -> int:
    """Sends ``frame(seq)`` for each seq and reads nothing, until a send blocks longer than the
    client's ``sndtimeo`` (the gateway has stopped reading); returns how many were sent."""
    for sent, seq in enumerate(seqs):
        try:
            client.send(frame(seq))
        except zmq.Again:
            return sent
    return len(seqs)
