"""How the harness and its child processes end: together, whatever ends the harness.

A worker, gateway or load generator that outlived an interrupted ``hotpath`` would keep a
core busy and write into a staging folder nobody will rename. Two rules make that
impossible:

- every child is started with ``preexec_fn=dies_with_parent()``: the kernel sends it SIGKILL
  when the harness thread that started it ends (``PR_SET_PDEATHSIG``, kept across
  ``exec``), so even a SIGKILLed harness takes its children along;
- SIGTERM is handled like SIGINT (``terminate_as_interrupt``): it raises ``Terminated``, a
  ``KeyboardInterrupt``, so the same clean-up runs and the command exits ``128 + 15``.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from types import FrameType

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


class Terminated(KeyboardInterrupt):
    """The harness was asked to stop by a signal other than SIGINT (``signum``)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def exit_code(exc: KeyboardInterrupt) -> int:
    """The shell's convention: ``128 + signal`` (130 for SIGINT, 143 for SIGTERM)."""
    return 128 + getattr(exc, "signum", signal.SIGINT)


def _prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    fn = ctypes.CDLL(None, use_errno=True).prctl
    fn.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    fn.restype = ctypes.c_int
    return fn


_PRCTL = _prctl()  # resolved here, in the parent: the forked child only calls it


def dies_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` for ``subprocess.Popen``: the child gets SIGKILL when this thread
    of this process ends. ``None`` where the kernel has no such request (not Linux).

    The parent may die between the fork and the request; the child then already has a
    new parent, sees it with ``getppid`` and ends itself instead of running orphaned."""
    if _PRCTL is None:
        return None
    prctl, parent = _PRCTL, os.getpid()

    def in_child() -> None:
        # runs between fork and exec: no allocation-heavy work, no locks
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)

    return in_child


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM raises ``Terminated`` in the main thread for the block (elsewhere: no
    change, as Python allows handlers only there); the previous handler comes back after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_signal(signum: int, frame: FrameType | None) -> None:
        raise Terminated(signum)

    previous = signal.signal(signal.SIGTERM, on_signal)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


SIGNAL_MEANINGS = {
    signal.SIGKILL: "out of memory (the kernel's OOM killer; see dmesg) or killed from outside",
    signal.SIGSEGV: "a segmentation fault: a bug in native code (the extension or a library)",
    signal.SIGBUS: "a bus error: a bug in native code, or a memory-mapped file that shrank",
    signal.SIGABRT: "aborted: a failed assertion or an abort in native code",
    signal.SIGFPE: "an arithmetic fault in native code",
    signal.SIGILL: "an illegal instruction: native code built for another CPU",
    signal.SIGTERM: "terminated from outside",
    signal.SIGINT: "interrupted",
    signal.SIGXCPU: "its CPU time limit ran out",
}


def how_it_ended(returncode: int) -> str:
    """A process's end in words: ``exit 3``, or ``killed by SIGKILL (…what it likely means)``
    for the negative codes ``subprocess`` gives a process a signal ended."""
    if returncode >= 0:
        return f"exit {returncode}"
    try:
        sig = signal.Signals(-returncode)
    except ValueError:
        return f"killed by signal {-returncode}"
    meaning = SIGNAL_MEANINGS.get(sig)
    return f"killed by {sig.name}" + (f": {meaning}" if meaning else "")
