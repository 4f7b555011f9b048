"""``hotpath canary`` with both real gateways on smoke: the whole shift, the P99 guard and
the mismatch guard tripping on purpose, and bad options refused."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from hotpath_format import EventKind, read_events
from hotpath_lab.cli import main
from hotpath_lab.drivers.builds import PythonBuild
from hotpath_lab.replay import replay
from hotpath_lab.scenarios import build_scenario
from hotpath_lab.storage import decode
from hotpath_lab.wire.binaries import GATEWAY, release_dir
from hotpath_lab.wire.canary_model import Canary
from hotpath_lab.wire.partition import order_requests

pytestmark = pytest.mark.skipif(
    not (release_dir() / GATEWAY).is_file(), reason="hotpath-gateway is not built (make setup)"
)


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_scenario("smoke", out=tmp_path_factory.mktemp("canary") / "smoke.hpe")


def shift(smoke: Path, results: Path, *options: str) -> tuple[int, Canary, Path]:
    code = main(["canary", "--scenario", str(smoke), "--results-dir", str(results), *options])
    (folder,) = (results / "smoke").glob("canary-*")
    data = json.loads((folder / "canary.json").read_text())
    return code, decode(Canary, data, "canary.json"), folder


def test_the_whole_shift_completes_on_smoke_without_a_mismatch(
    smoke: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, c, folder = shift(smoke, tmp_path)
    assert code == 0 and c.completed and c.stopped_at_pct is None
    assert [s.share_pct for s in c.steps] == [1, 10, 50, 100]
    f = read_events(smoke)
    orders = int(order_requests(np.asarray(f.records)).sum())
    for s in c.steps:
        assert s.mismatches == 0 and s.first_mismatch is None and not s.tripped
        old, new, shadow = s.sides["old"], s.sides["new"], s.sides["shadow"]
        assert (old.build, new.build, shadow.build) == ("wire-python", "wire-rust", "wire-python")
        assert new.orders + old.orders == orders  # each request served exactly once
        assert new.digest == shadow.digest and new.reports == shadow.reports
        assert new.latency.count == new.orders
    assert [len(s.new_accounts) for s in c.steps] == [1, 1, 2, 4]
    # at 100 % the new build is given the whole scenario: the in-process reports
    assert c.steps[-1].sides["new"].digest == replay(PythonBuild(), f).digest
    assert c.steps[-1].sides["old"].orders == 0
    md = (folder / "canary.md").read_text()
    assert "shift completed" in md and md.count("| pass |") == 4
    assert (folder / c.files.chart_png).stat().st_size > 0
    assert c.environment.git.short and "through the router" in c.measured
    assert "shift completed" in capsys.readouterr().out


def test_an_impossible_p99_guard_stops_at_the_first_step(smoke: Path, tmp_path: Path) -> None:
    code, c, folder = shift(smoke, tmp_path, "--guard-p99-us", "0.001", "--events", "3000")
    assert code == 1 and not c.completed and c.stopped_at_pct == 1
    (step,) = c.steps
    assert [t.guard for t in step.tripped] == ["p99"] and step.mismatches == 0
    assert "shift stopped at 1%" in (folder / "canary.md").read_text()
    assert "not run: 10%, 50%, 100%" in (folder / "canary.md").read_text()


def test_a_perturbed_request_trips_the_mismatch_guard_when_its_account_moves(
    smoke: Path, tmp_path: Path
) -> None:
    """A NEW_ORDER of account 2 altered in the new build's copy: unseen while account 2
    stays on the old build (50 %: accounts 0 and 1), caught once it moves (75 %)."""
    r = read_events(smoke).records
    n = int(np.flatnonzero((r["kind"] == EventKind.NEW_ORDER) & (r["account"] == 2))[50])
    code, c, _ = shift(smoke, tmp_path, "--perturb-event", str(n), "--steps", "50,75,100")
    assert code == 1 and c.stopped_at_pct == 75
    assert [s.share_pct for s in c.steps] == [50, 75]
    assert c.steps[0].mismatches == 0 and not c.steps[0].tripped
    last = c.steps[1]
    assert [t.guard for t in last.tripped] == ["mismatch"] and last.mismatches >= 1
    assert last.first_mismatch is not None and f"input event {n} " in last.first_mismatch


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--steps", "0,50"], "(0, 100]"),
        (["--steps", "50,10"], "must rise"),
        (["--steps", "10,abc"], "percentages"),
        (["--old", "zmq-echo"], "not a gateway"),
        (["--perturb-event", "99999999"], "--perturb-event"),
        (["--events", "0"], "--events"),
        (["--window", "0"], "--window"),
        (["--guard-p99-us", "-3"], "must be > 0"),
    ],
)
def test_bad_options_exit_2(
    smoke: Path, tmp_path: Path, options: list[str], message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    argv = ["canary", "--scenario", str(smoke), "--results-dir", str(tmp_path), *options]
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own refusals
        code = int(exc.code or 0)
    assert code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "smoke").exists()
