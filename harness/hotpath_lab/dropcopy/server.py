"""A real ``redis-server`` for the lab: loopback only, append-only file on (a restart loses
nothing acknowledged), no RDB snapshots, data in a folder given by the caller.

``python -m hotpath_lab.dropcopy.server [--port 6379] [--dir results/.redis]`` runs one in
the foreground (``make redis``) for ``hotpath watch`` and ``hotpath bench --drop-copy``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

import redis

from hotpath_lab.dropcopy.client import command
from hotpath_lab.lifetime import dies_with_parent, terminate_as_interrupt

HOST = "127.0.0.1"
READY_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 10.0
LOG_NAME = "redis-server.log"


class RedisUnavailable(RuntimeError):
    """No ``redis-server`` binary to run."""


def _idle_and_dies_with_parent() -> Callable[[], None]:
    """The server's process setup: it dies with its parent (``lifetime``), and runs under
    ``SCHED_IDLE``, like the Rust publisher's thread (docs/dropcopy.md): on the lab's two
    cores, a normal-priority Redis woken by the publisher would be put on the engine's
    core now and then and delay the orders arriving meanwhile; an idle one waits for a
    free core instead. A system that refuses the policy keeps the default."""
    die = dies_with_parent()

    def setup() -> None:
        if die is not None:
            die()
        with contextlib.suppress(OSError, AttributeError):
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))

    return setup


class RedisServerError(RuntimeError):
    """The server did not come up (or did not stop); the message quotes its log."""


def find_binary(binary: str | None = None) -> str:
    """The ``redis-server`` to run: ``binary``, ``$HOTPATH_REDIS_SERVER``, or the one on the
    PATH (or in /usr/sbin, /usr/bin); raises :class:`RedisUnavailable`."""
    wanted = binary or os.environ.get("HOTPATH_REDIS_SERVER") or "redis-server"
    path = shutil.which(wanted) or shutil.which(wanted, path="/usr/sbin:/usr/bin")
    if path is None:
        raise RedisUnavailable(
            f"no {wanted!r} binary found (install Debian's redis-server package, or set "
            "HOTPATH_REDIS_SERVER to one)"
        )
    return path


def free_port() -> int:
    """A loopback TCP port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


class RedisServer:
    """One ``redis-server`` process on ``127.0.0.1:port`` with its data in ``data_dir``.

    A context manager: entering starts it (and waits until it answers ``PING``), leaving
    stops it. ``restart()`` stops it with SIGTERM (it writes its append-only file out) and
    starts it again on the same port and folder.
    """

    def __init__(
        self,
        data_dir: str | os.PathLike[str],
        port: int | None = None,
        *,
        binary: str | None = None,
    ) -> None:
        self.binary = find_binary(binary)
        self.data_dir = Path(data_dir).resolve()
        self.port = port if port is not None else free_port()
        self.url = f"redis://{HOST}:{self.port}"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    @property
    def log_path(self) -> Path:
        return self.data_dir / LOG_NAME

    def command(self) -> list[str]:
        return [
            self.binary,
            "--port", str(self.port),
            "--bind", HOST,
            "--dir", str(self.data_dir),
            "--appendonly", "yes",
            "--save", "",
            "--daemonize", "no",
            "--logfile", "",
        ]  # fmt: skip

    def start(self) -> RedisServer:
        """Starts the server and waits until it answers; raises :class:`RedisServerError`."""
        if self._process is not None and self._process.poll() is None:
            return self
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            # its own session: a Ctrl-C at the terminal reaches the caller, who stops it;
            # and it dies with the thread that started it, whatever ends that
            self._process = subprocess.Popen(
                self.command(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_idle_and_dies_with_parent(),
            )
        self._wait_ready()
        return self

    def stop(self) -> None:
        """SIGTERM (the server writes its append-only file out and exits), then waits."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise RedisServerError(
                f"redis-server on port {self.port} ignored SIGTERM for {STOP_TIMEOUT_S:g} s "
                f"and was killed ({self.log_path})"
            ) from None

    def restart(self) -> None:
        self.stop()
        self.start()

    def wait(self) -> int:
        """Waits for the server to exit by itself; its exit status."""
        if self._process is None:
            return 0
        return self._process.wait()

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _wait_ready(self) -> None:
        process = self._process
        assert process is not None
        client = redis.Redis(host=HOST, port=self.port, socket_connect_timeout=0.5)
        deadline = time.monotonic() + READY_TIMEOUT_S
        try:
            while True:
                if process.poll() is not None:
                    self._process = None
                    raise RedisServerError(
                        f"redis-server on port {self.port} exited with status "
                        f"{process.returncode} at start:\n{self._log_tail()}"
                    )
                with contextlib.suppress(redis.ConnectionError, redis.TimeoutError):
                    # ours, not another server already on the port (ours then fails to bind)
                    info = command(client, "INFO", "server")
                    if info.get("process_id") == process.pid:
                        return
                if time.monotonic() > deadline:
                    self.stop()
                    raise RedisServerError(
                        f"redis-server on port {self.port} did not answer PING within "
                        f"{READY_TIMEOUT_S:g} s:\n{self._log_tail()}"
                    )
                time.sleep(0.02)
        finally:
            client.close()

    def _log_tail(self, lines: int = 8) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return f"(no log at {self.log_path})"
        return "\n".join(text.splitlines()[-lines:])


def main(argv: list[str] | None = None) -> int:
    """Runs the lab's server in the foreground until Ctrl-C."""
    parser = argparse.ArgumentParser(
        prog="python -m hotpath_lab.dropcopy.server",
        description="Run the lab's Redis server (loopback, append-only file) in the "
        "foreground, for hotpath watch and hotpath bench --drop-copy.",
    )
    parser.add_argument("--port", type=int, default=6379, help="TCP port (default 6379)")
    parser.add_argument(
        "--dir", default="results/.redis", help="data folder (default results/.redis)"
    )
    args = parser.parse_args(argv)
    try:
        server = RedisServer(args.dir, args.port)
        server.start()
    except (RedisUnavailable, RedisServerError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    print(
        f"Redis ready at {server.url} (data and log in {server.data_dir}); Ctrl-C stops it",
        flush=True,
    )
    try:
        with terminate_as_interrupt():  # SIGTERM too: the server still writes its file out
            status = server.wait()
    except KeyboardInterrupt:
        server.stop()
        return 0
    print(f"redis-server exited with status {status} (log: {server.log_path})", file=sys.stderr)
    return 1 if status else 0


if __name__ == "__main__":
    sys.exit(main())
