"""A gateway process: started, waited for until it listens, pinned, stopped cleanly.

The contract (docs/wire.md): a gateway prints one JSON line when it listens
(``{"listening": ENDPOINT, "gateway": …, "pid": …}``) and one when it stops
(``{"stopped": SIGNAL, …}``), and SIGTERM stops it with exit code 0 after it has answered
what it read. Its stderr goes to a log file, kept in the run folder.
"""

from __future__ import annotations

import contextlib
import json
import selectors
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from hotpath_lab.drivers.plugin import BuildFailed
from hotpath_lab.lifetime import dies_with_parent, how_it_ended
from hotpath_lab.wire.affinity import children_on

LISTEN_TIMEOUT_S = 30.0
"""How long a gateway may take to print its listening line (the Python one imports numpy,
pyzmq and the engine first)."""
STOP_TIMEOUT_S = 30.0
"""How long a gateway may take to stop after SIGTERM (it answers what it read first)."""


def _ended(returncode: int) -> str:
    """``exited with code 3``, or ``was killed by SIGKILL: …`` with what it likely means."""
    if returncode >= 0:
        return f"exited with code {returncode}"
    return f"was {how_it_ended(returncode)}"


class GatewayFailed(BuildFailed):
    """A gateway did not start, misbehaved or did not stop cleanly (CLI exit code 4);
    ``detail`` holds its stderr."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


@dataclass(frozen=True)
class Listening:
    """The gateway's listening line."""

    endpoint: str
    pid: int
    engine: str | None
    poll: str | None
    line: dict[str, Any]


class RunningGateway:
    """``with RunningGateway(name, argv, log, core=c) as gw:`` starts it on core ``c`` and
    waits for its listening line; ``gw.stop()`` sends SIGTERM and returns its stopped
    line. Leaving the block any other way kills it."""

    def __init__(
        self,
        name: str,
        argv: list[str],
        log: Path,
        *,
        core: int | None = None,
        listen_timeout_s: float = LISTEN_TIMEOUT_S,
    ) -> None:
        self.name = name
        self.argv = argv
        self.log = log
        self.core = core
        self.listen_timeout_s = listen_timeout_s
        self._proc: subprocess.Popen[str] | None = None
        self._log_file: IO[str] | None = None
        self.listening: Listening | None = None
        self.stopped: dict[str, Any] | None = None

    @property
    def pid(self) -> int:
        assert self._proc is not None, "the gateway is not started"
        return self._proc.pid

    def __enter__(self) -> RunningGateway:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self._log_file = open(self.log, "w")  # closed in __exit__
        try:
            with children_on(self.core):
                self._proc = subprocess.Popen(
                    self.argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                    stderr=self._log_file, text=True,
                    preexec_fn=dies_with_parent(),  # the kernel ends it with us
                )  # fmt: skip
        except OSError as exc:
            self._close_log()
            raise GatewayFailed(f"gateway {self.name}: cannot start {self.argv[0]}: {exc}") from exc
        try:
            self.listening = self._wait_listening()
        except BaseException:
            self._kill()
            self._close_log()  # __exit__ does not run when __enter__ raises
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._kill()
        self._close_log()

    def _wait_listening(self) -> Listening:
        proc = self._proc
        assert proc is not None and proc.stdout is not None
        deadline = time.monotonic() + self.listen_timeout_s
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise self._failure(
                        f"printed no listening line within {self.listen_timeout_s:g} s"
                    )
                if sel.select(timeout=min(left, 0.2)):
                    line = proc.stdout.readline()
                    if line:
                        return self._parse_listening(line)
                    proc.wait(timeout=5)
                if proc.poll() is not None:
                    raise self._failure(f"{_ended(proc.returncode)} before it listened")

    def _parse_listening(self, line: str) -> Listening:
        try:
            data = json.loads(line)
            endpoint = data["listening"]
            if not isinstance(endpoint, str):
                raise TypeError("listening is not a string")
        except (ValueError, KeyError, TypeError) as exc:
            raise self._failure(
                f"its first line is not the listening line ({exc}): {line.strip()[:200]!r}"
            ) from None
        return Listening(
            endpoint=endpoint,
            pid=int(data.get("pid", self.pid)),
            engine=data.get("engine"),
            poll=data.get("poll"),
            line=data,
        )

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> dict[str, Any]:
        """SIGTERM, then its stopped line; raises ``GatewayFailed`` if it does not exit 0
        with one in time."""
        proc = self._proc
        assert proc is not None and proc.stdout is not None
        if proc.poll() is not None:
            raise self._failure(
                f"had already ended ({_ended(proc.returncode)}) when it was stopped"
            )
        proc.send_signal(signal.SIGTERM)
        try:
            rest, _ = proc.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self._kill()
            raise self._failure(f"did not stop within {timeout_s:g} s of SIGTERM") from None
        lines = [ln for ln in rest.splitlines() if ln.strip()]
        stopped = None
        for ln in lines:
            with contextlib.suppress(ValueError):
                data = json.loads(ln)
                if isinstance(data, dict) and "stopped" in data:
                    stopped = data
        if proc.returncode != 0:
            raise self._failure(f"{_ended(proc.returncode)} on SIGTERM")
        if stopped is None:
            raise self._failure(
                "printed no stopped line on SIGTERM"
                + (f" (its output: {' | '.join(lines)[:200]})" if lines else "")
            )
        self.stopped = stopped
        return stopped

    def stderr(self) -> str:
        if self._log_file is not None:
            self._log_file.flush()
        try:
            return self.log.read_text()
        except OSError:
            return ""

    def _failure(self, what: str) -> GatewayFailed:
        err = self.stderr()
        last = next((ln for ln in reversed(err.splitlines()) if ln.strip()), "no error output")
        return GatewayFailed(
            f"gateway {self.name} ({' '.join(self.argv[:3])} …) {what}; stderr ({self.log}): "
            f"{last}",
            err,
        )

    def _kill(self) -> None:
        if self._proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            self._proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._proc.communicate(timeout=5)

    def _close_log(self) -> None:
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None
