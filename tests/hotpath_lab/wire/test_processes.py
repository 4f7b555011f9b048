"""Gateway processes and the generator as the harness starts them: the listening and
stopped lines, pinning to a core, and clear errors for a gateway that does not start, a
first line that is not the listening line, a missing binary and bad options."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from hotpath_lab.cli import main
from hotpath_lab.wire.affinity import children_on, default_placement, thread_cores
from hotpath_lab.wire.binaries import BinaryMissing, binary
from hotpath_lab.wire.process import GatewayFailed, RunningGateway
from hotpath_lab.wire.targets import TARGETS, GatewayShape

HOTPATH = [str(Path(sys.executable).parent / "hotpath")]


def test_hotpath_gateway_listens_pinned_and_stops_cleanly_on_sigterm() -> None:
    core = default_placement().gateway or 0
    proc = subprocess.Popen(
        [*HOTPATH, "gateway", "--build", "wire-rust", "--bind", "tcp://127.0.0.1:0",
         "--engine", "thread", "--poll", "park", "--cpu", str(core)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        listening = json.loads(proc.stdout.readline())
        assert listening["gateway"] == "wire-rust" and listening["pid"] == proc.pid
        assert (listening["engine"], listening["poll"]) == ("thread", "park")
        assert listening["listening"].startswith("tcp://127.0.0.1:")
        assert all(cores == {core} for cores in thread_cores(proc.pid).values())
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    stopped = json.loads(out.strip().splitlines()[-1])
    assert stopped["stopped"] == "SIGTERM" and stopped["sessions"] == 0


def test_a_floor_runs_pinned_and_reports_its_stop(tmp_path: Path) -> None:
    core = default_placement().gateway or 0
    target = TARGETS["tcp-echo"]
    argv = target.command("tcp://127.0.0.1:0", GatewayShape())
    with RunningGateway("tcp-echo", argv, tmp_path / "g.log", core=core) as gw:
        assert gw.listening is not None and gw.listening.pid == gw.pid
        assert all(cores == {core} for cores in thread_cores(gw.pid).values())
        stopped = gw.stop()
    assert stopped["stopped"] == "SIGTERM" and stopped["gateway"] == "tcp-echo"


def test_a_gateway_that_cannot_bind_fails_with_its_stderr(tmp_path: Path) -> None:
    argv = TARGETS["wire-rust"].command("tcp://203.0.113.7:1", GatewayShape())
    gw = RunningGateway("wire-rust", argv, tmp_path / "g.log")
    with pytest.raises(GatewayFailed, match=r"exited with code \d+ before it listened") as err, gw:
        pass
    assert str(tmp_path / "g.log") in str(err.value)
    assert err.value.detail.strip(), "its stderr is kept for --debug"


def test_a_first_line_that_is_not_the_listening_line_is_refused(tmp_path: Path) -> None:
    argv = [sys.executable, "-c", "print('hello'); import time; time.sleep(30)"]
    gw = RunningGateway("odd", argv, tmp_path / "g.log")
    with pytest.raises(GatewayFailed, match="its first line is not the listening line"), gw:
        pass


def test_a_gateway_that_never_listens_times_out_and_is_killed(tmp_path: Path) -> None:
    argv = [sys.executable, "-c", "import time; time.sleep(60)"]
    gw = RunningGateway("mute", argv, tmp_path / "g.log", listen_timeout_s=0.5)
    with pytest.raises(GatewayFailed, match=r"printed no listening line within 0.5 s"), gw:
        pass
    assert gw._proc is not None and gw._proc.poll() is not None, "killed, not left running"


def test_children_start_on_the_core_and_the_caller_keeps_its_own() -> None:
    own = os.sched_getaffinity(0)
    core = max(own)
    with children_on(core):
        child = subprocess.run(
            [sys.executable, "-c", "import os; print(sorted(os.sched_getaffinity(0)))"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
    assert child.stdout.strip() == f"[{core}]"
    assert os.sched_getaffinity(0) == own


def test_a_missing_binary_names_its_path_and_make_setup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CARGO_TARGET_DIR", str(tmp_path))
    with pytest.raises(
        BinaryMissing, match=rf"{tmp_path}/release/hotpath-gateway is missing.*make setup"
    ):
        binary("hotpath-gateway")
    code = main(["bench", "--mode", "wire", "--scenario", "smoke"])
    assert code == 2
    assert "make setup" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["gateway", "--build", "wire-python", "--engine", "thread"],
            "--engine applies to wire-rust",
        ),
        (["gateway", "--build", "wire-rust", "--bind", "ipc:///x"], "expected tcp://HOST:PORT"),
        (["gateway", "--build", "wire-rust", "--cpu", "4096"], "not a core this process may use"),
        (
            ["bench", "--mode", "wire", "--scenario", "smoke", "--builds", "zmq-echo"],
            "the choices are",
        ),
        (["bench", "--mode", "wire", "--scenario", "smoke", "--profile"], "in-process builds only"),
    ],
)
def test_bad_wire_options_are_usage_errors(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_a_rate_that_is_not_a_number_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["sweep", "--scenario", "smoke", "--rates", "10k,fast"])
    assert exit_.value.code == 2 and "'fast' is not a rate" in capsys.readouterr().err
