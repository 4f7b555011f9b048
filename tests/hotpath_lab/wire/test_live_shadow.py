"""``hotpath shadow --wire``: the live tee between two real gateways (wire-python, the
release ``hotpath-gateway``). Agreement on smoke, an injected divergence caught at its
event, and bad options refused."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from hotpath_format import EventFile, EventKind, read_events
from hotpath_lab.cli import main
from hotpath_lab.drivers.builds import PythonBuild
from hotpath_lab.replay import replay
from hotpath_lab.scenarios import build_scenario
from hotpath_lab.wire.binaries import GATEWAY, release_dir
from hotpath_lab.wire.tee import TeeSettings, run_tee

pytestmark = pytest.mark.skipif(
    not (release_dir() / GATEWAY).is_file(), reason="hotpath-gateway is not built (make setup)"
)


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_scenario("smoke", out=tmp_path_factory.mktemp("tee") / "smoke.hpe")


def first_new_order(f: EventFile, after: int) -> int:
    r = f.records
    return int(np.flatnonzero(r["kind"] == EventKind.NEW_ORDER)[after])


def test_two_real_gateways_agree_on_smoke_with_the_in_process_digest(
    smoke: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["shadow", "--wire", "--scenario", str(smoke)]) == 0
    out = capsys.readouterr().out
    in_process = replay(PythonBuild(), read_events(smoke)).digest
    assert f"FINISHED digest {in_process} from both" in out
    assert "identical over the wire" in out and "through the tee" in out


def test_a_perturbed_order_is_caught_at_its_event(smoke: Path) -> None:
    f = read_events(smoke)
    n = first_new_order(f, 1000)
    out = run_tee(f, TeeSettings(perturb_event=n))
    assert out.divergence is not None and not out.identical
    d = out.divergence.divergence
    assert d.event_index == n
    assert d.a is not None and d.b is not None
    lot = {i.id: i.lot_size for i in f.meta.instruments}[int(f.records[n]["instrument"])]
    assert int(d.b["qty"]) - int(d.a["qty"]) == lot
    # the reference's report there is the in-process one; the tee stopped at that frame
    ref = replay(PythonBuild(), f).reports
    assert d.a.tobytes() == ref[d.index].tobytes()
    assert out.frames_compared == out.divergence.frame < out.frames


def test_the_command_exits_1_naming_the_event_and_both_reports(
    smoke: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    n = first_new_order(read_events(smoke), 200)
    code = main(["shadow", "--wire", "--scenario", str(smoke), "--perturb-event", str(n),
                 "--builds", "wire-rust,wire-python"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 1
    assert f"wire-rust and wire-python diverge at input event {n}" in out
    assert f"  >>[{n}] " in out
    assert out.count(f"event {n} order") == 2  # both reports


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--builds", "wire-python"], "two gateways"),
        (["--builds", "wire-python,zmq-echo"], "zmq-echo"),
        (["--perturb-event", "999999999"], "--perturb-event"),
        (["--window", "0"], "--window"),
        (["--max-batch", "5000"], "--max-batch"),
    ],
)
def test_bad_options_exit_2(
    smoke: Path, extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["shadow", "--wire", "--scenario", str(smoke), *extra]) == 2
    assert message in capsys.readouterr().err


def test_wire_only_options_need_wire(smoke: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["shadow", "--scenario", str(smoke), "--perturb-event", "3"]) == 2
    assert "need --wire" in capsys.readouterr().err
