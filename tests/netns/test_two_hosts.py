"""Gateway and load generator on two "hosts": network namespaces joined by a veth pair,
made by the project's own script (``harness/scripts/netns-pair.sh``). The traffic really
crosses the link (its byte counters say so), the reports are the in-process ones, and with
netem a delay on the link shows in every round trip.

Needs root and iproute2 (CI has both); skipped with the reason otherwise. The netem case
also needs the kernel's ``sch_netem`` and is skipped on a kernel without it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hotpath_lab.scenarios import build_scenario

REPO = Path(__file__).resolve().parents[2]
PAIR = REPO / "harness" / "scripts" / "netns-pair.sh"
GATEWAY = REPO / "target" / "release" / "hotpath-gateway"
LOADGEN = REPO / "target" / "release" / "hotpath-loadgen"
GW_ADDR = "10.77.0.1"

GATEWAYS = {
    "wire-rust": [str(GATEWAY)],
    "wire-python": [sys.executable, "-m", "hotpath_asyncio.gateway"],
}


def _netns_unavailable() -> str | None:
    if os.geteuid() != 0:
        return "network namespaces need root"
    if shutil.which("ip") is None:
        return "ip (iproute2) is not installed"
    return None


pytestmark = pytest.mark.skipif(_netns_unavailable() is not None, reason=str(_netns_unavailable()))


def _pair(action: str, name: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(PAIR), action, name, *args], capture_output=True, text=True)


@pytest.fixture
def smoke_digest(golden_dir: Path) -> str:
    first = (golden_dir / "smoke-reports.txt").read_text().splitlines()[0]
    assert first.startswith("digest ")
    return first.split()[1]


@pytest.fixture(scope="module")
def smoke() -> Path:
    return build_scenario("smoke")


@pytest.fixture
def hosts(request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    name = f"hp{os.getpid() % 10000}{request.node.name[-6:].strip('[]-')}"[:12]
    delay = getattr(request, "param", "")
    made = _pair("up", name, *([delay] if delay else []))
    if made.returncode != 0:
        _pair("down", name)
        if delay and "qdisc kind is unknown" in made.stderr:
            pytest.skip("this kernel has no netem (sch_netem): the delay case cannot run")
        pytest.fail(f"netns-pair.sh up failed: {made.stderr.strip()}")
    info = dict(kv.split("=", 1) for kv in made.stdout.split())
    info["name"] = name
    yield info
    _pair("down", name)


def _serve_and_drive(hosts: dict[str, str], gateway: str, scenario: Path, out: Path) -> tuple[dict, dict]:
    for binary in (GATEWAY, LOADGEN):
        assert binary.exists(), f"{binary} is missing: run `make setup`"
    server = subprocess.Popen(
        ["ip", "netns", "exec", hosts["gw"], *GATEWAYS[gateway], "--bind", f"tcp://{GW_ADDR}:5555"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        listening = json.loads(server.stdout.readline() or "{}")
        assert listening.get("listening") == f"tcp://{GW_ADDR}:5555", server.stderr.read() if server.stderr else ""
        drive = subprocess.run(
            ["ip", "netns", "exec", hosts["lg"], str(LOADGEN), "--scenario", str(scenario),
             "--connect", f"tcp://{GW_ADDR}:5555", "--out", str(out), "--label", gateway,
             "--speed", "20", "--timeout-s", "20"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert drive.returncode == 0, drive.stderr
    finally:
        server.terminate()
        stdout, _ = server.communicate(timeout=20)
    assert server.returncode == 0
    stopped = json.loads(stdout.strip().splitlines()[-1])
    return json.loads((out / f"{gateway}.wire.json").read_text()), stopped


def _rx_bytes(ns: str, dev: str) -> int:
    shown = subprocess.run(["ip", "-n", ns, "-s", "-j", "link", "show", "dev", dev],
                           capture_output=True, text=True, check=True)
    return int(json.loads(shown.stdout)[0]["stats64"]["rx"]["bytes"])


@pytest.mark.parametrize("gateway", sorted(GATEWAYS))
def test_a_session_across_the_veth_link_gives_the_in_process_reports(
    hosts: dict[str, str], gateway: str, smoke: Path, smoke_digest: str, tmp_path: Path
) -> None:
    wire, stopped = _serve_and_drive(hosts, gateway, smoke, tmp_path)
    assert wire["digest"] == smoke_digest
    assert wire["gateway"]["digest"] == smoke_digest
    assert stopped["events"] == wire["scenario"]["events"]
    # every event record crossed the link into the gateway's namespace
    assert _rx_bytes(hosts["gw"], hosts["gw_dev"]) > 48 * wire["scenario"]["events"]


@pytest.mark.parametrize("hosts", ["200us"], indirect=True)
def test_link_delay_shows_in_every_round_trip(hosts: dict[str, str], smoke: Path, smoke_digest: str, tmp_path: Path) -> None:
    wire, _ = _serve_and_drive(hosts, "wire-rust", smoke, tmp_path)
    assert wire["digest"] == smoke_digest
    # 200 µs each way: no answer can come back in less than 400 µs
    assert wire["latency_ns"]["service"]["min"] >= 400_000
