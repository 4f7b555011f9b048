"""Children die with the harness; a signal's end is said in words (``hotpath_lab.lifetime``)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from hotpath_lab.lifetime import Terminated, exit_code, how_it_ended, terminate_as_interrupt

# A parent that starts `sleep` the way the harness starts its workers, says its pid, waits.
PARENT = textwrap.dedent(
    """
    import subprocess, sys, time
    from hotpath_lab.lifetime import dies_with_parent
    child = subprocess.Popen(["sleep", "120"], preexec_fn=dies_with_parent())
    print(child.pid, flush=True)
    time.sleep(120)
    """
)


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_child_dies_when_the_harness_is_killed(sig: signal.Signals) -> None:
    with subprocess.Popen(
        [sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True
    ) as parent:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        assert alive(child)
        parent.send_signal(sig)
        parent.wait(timeout=10)
    deadline = time.monotonic() + 5
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.02)
    if alive(child):  # do not leave it behind even when the test fails
        os.kill(child, signal.SIGKILL)
        pytest.fail(f"child {child} outlived its parent ({sig.name})")


def test_a_signal_end_names_the_signal_and_its_likely_cause() -> None:
    assert how_it_ended(3) == "exit 3"
    assert how_it_ended(-9).startswith("killed by SIGKILL: out of memory")
    assert "segmentation fault" in how_it_ended(-11)
    assert how_it_ended(-64) in ("killed by SIGRTMAX", "killed by signal 64")


def test_sigterm_is_an_interrupt_with_its_own_exit_code() -> None:
    with pytest.raises(Terminated) as caught, terminate_as_interrupt():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler raises at the next bytecode
    assert isinstance(caught.value, KeyboardInterrupt)
    assert exit_code(caught.value) == 143
    assert exit_code(KeyboardInterrupt()) == 130
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # put back after the block
