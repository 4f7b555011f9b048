"""How the harness treats a peer (docs/peers.md), with a peer that needs no other project:
its digest is its own and never compared, it gets a peer section with real histograms, the
report says it was not compared, ``hotpath shadow`` refuses it; and the nautilus build, when
NautilusTrader cannot be imported anywhere, is unavailable with one clear line."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from tests.hotpath_lab.reporting.sample import bench_sample, write_sample_scenario

from hotpath_format import read_events, report_digest
from hotpath_lab.cli import main
from hotpath_lab.drivers.builds import BUILTIN
from hotpath_lab.drivers.plugin import load_build
from hotpath_lab.peers import interpreter
from hotpath_lab.peers.interpreter import PEERS_PYTHON_ENV, PeerUnavailable
from hotpath_lab.storage import load_run

PEER = "tests.hotpath_lab.peers.translated:TranslatedPeer"


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sample_scenario(tmp_path_factory.mktemp("peer") / "sample.hpe", seconds=1.0)


@pytest.fixture(scope="module")
def run_folder(scenario: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bench_sample(tmp_path_factory.mktemp("results"), scenario, builds=("python", PEER))


def test_a_peer_is_left_out_of_the_digest_check_and_keeps_its_own_digest(
    run_folder: Path,
) -> None:
    run = load_run(run_folder)
    peer, python = run.build("translated-peer"), run.build("python")
    assert not peer.shadow_equal and python.shadow_equal
    assert peer.digest != python.digest, "its stream differs (no rejects): a real digest"
    assert peer.outcomes.by_kind["REJECT"] == 0 < python.outcomes.by_kind["REJECT"]
    assert peer.throughput is not None and peer.throughput.digest == peer.digest
    assert dict(run.digests) == {"python": python.digest}
    assert run.agree, "a peer's different stream does not make the builds disagree"


def test_a_peer_section_holds_its_requests_and_real_histograms(run_folder: Path) -> None:
    run = load_run(run_folder)
    peer = run.build("translated-peer").peer
    assert peer is not None and run.build("python").peer is None
    assert peer.package == "hotpath-asyncio" and peer.version
    assert Path(peer.interpreter).name.startswith("python")
    r = peer.requests
    assert r["requests"] == run.scenario.order_requests == r["new"] + r["cancel"] + r["replace"]
    # the peer's own stream has no REJECT: every request it left unanswered is a reject of ours
    python = run.build("python").outcomes.by_kind
    assert r["unanswered"] == python["REJECT"]
    assert r["accepted"] == python["ACK"]
    # stamps of our engine read as a peer's: validation → risk is its "submit path"
    assert peer.submit_ns.count == run.build("python").latency_ns.risk.count
    assert 0 < peer.submit_ns.min <= peer.submit_ns.p50 <= peer.submit_ns.max
    assert peer.submit_to_accepted_ns.count == r["accepted"]
    assert peer.submit_to_accepted_ns.p50 >= peer.submit_ns.p50


def test_the_report_and_the_table_say_the_peer_was_not_compared(run_folder: Path) -> None:
    text = (run_folder / "report.md").read_text()
    assert "translated-peer: a peer, not compared" in text
    assert "## Peers" in text and "submit → accepted" in text


def test_shadow_refuses_a_peer(scenario: Path) -> None:
    assert main(["shadow", "--scenario", str(scenario), "--builds", f"python,{PEER}"]) == 2


def test_the_peer_digest_is_of_the_stream_it_produced(scenario: Path, tmp_path: Path) -> None:
    from tests.hotpath_lab.peers.translated import TranslatedPeer

    from hotpath_lab.drivers.python_loop import feed

    events = read_events(scenario)
    pipeline = TranslatedPeer().create(events.meta, len(events.records), stage_timing=False)
    feed(pipeline, events.records)
    run = bench_sample(tmp_path, scenario, builds=(PEER,))
    assert load_run(run).build("translated-peer").digest == report_digest(pipeline.report_array())


nautilus_here = importlib.util.find_spec("nautilus_trader") is not None


@pytest.mark.skipif(nautilus_here, reason="nautilus_trader imports here: it is available")
def test_nautilus_is_unavailable_with_one_line_naming_make_peers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, scenario: Path
) -> None:
    missing = tmp_path / "no-venv" / "bin" / "python"
    monkeypatch.setenv(PEERS_PYTHON_ENV, str(missing))
    interpreter._import_problem.cache_clear()
    with pytest.raises(PeerUnavailable) as e:
        load_build("nautilus", BUILTIN)
    message = str(e.value)
    assert "\n" not in message
    assert "'nautilus' is unavailable" in message and str(missing) in message
    assert "make peers" in message
    results = tmp_path / "results"
    code = main(["bench", "--scenario", str(scenario), "--builds", "python,nautilus",
                 "--results-dir", str(results)])  # fmt: skip
    assert code == 2, "refused before anything runs"
    assert not results.exists() or not any(results.rglob("run.json"))
    interpreter._import_problem.cache_clear()


@pytest.mark.skipif(nautilus_here, reason="nautilus_trader imports here: it is available")
def test_an_interpreter_that_cannot_import_it_is_named_with_its_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    monkeypatch.setenv(PEERS_PYTHON_ENV, sys.executable)  # the lab's: no nautilus_trader
    interpreter._import_problem.cache_clear()
    with pytest.raises(PeerUnavailable, match="cannot import it: ModuleNotFoundError"):
        load_build("nautilus", BUILTIN)
    interpreter._import_problem.cache_clear()
