"""``hotpath bench --builds python,nautilus``: NautilusTrader measured in the same run as our
builds, its worker on the peers venv's Python when the lab's cannot import it (docs/peers.md).
Skipped, with the build's own one-line reason, where nautilus_trader is not installed."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from hdrh.histogram import HdrHistogram
from hdrh.log import HistogramLogReader
from tests.hotpath_lab.reporting.sample import bench_sample, write_sample_scenario

from hotpath_lab.drivers.builds import BUILTIN
from hotpath_lab.drivers.plugin import load_build
from hotpath_lab.peers.interpreter import PeerUnavailable, peers_python
from hotpath_lab.storage import load_run


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    try:
        load_build("nautilus", BUILTIN)
    except PeerUnavailable as exc:
        pytest.skip(str(exc))
    base = tmp_path_factory.mktemp("nautilus")
    scenario = write_sample_scenario(base / "sample.hpe", seconds=1.0)
    return bench_sample(base / "results", scenario, builds=("python", "nautilus"))


def test_nautilus_lands_in_the_same_run_as_a_peer(run_folder: Path) -> None:
    run = load_run(run_folder)
    assert set(run.builds) == {"python", "nautilus"}
    nautilus = run.build("nautilus")
    assert nautilus.peer is not None and not nautilus.shadow_equal
    assert nautilus.peer.package == "nautilus_trader" and nautilus.peer.version == "1.221.0"
    if importlib.util.find_spec("nautilus_trader") is None:
        assert Path(nautilus.peer.interpreter) == peers_python(), "its own venv's Python"
    assert dict(run.digests) == {"python": run.build("python").digest} and run.agree
    assert nautilus.throughput is not None
    assert nautilus.throughput.digest == nautilus.digest, "its path decides the same twice"


def test_every_request_is_answered_and_the_counts_add_up(run_folder: Path) -> None:
    run = load_run(run_folder)
    nautilus = run.build("nautilus")
    assert nautilus.peer is not None
    r = nautilus.peer.requests
    assert r["requests"] == run.scenario.order_requests and r["unanswered"] == 0
    rejected = r["refused_by_adapter"] + r["denied_by_risk"] + r["rejected_by_venue"]
    done = r["accepted"] + r["filled_without_ack"] + r["cancelled"] + r["replaced"]
    assert done + rejected == r["requests"]
    by_kind = nautilus.outcomes.by_kind
    assert by_kind["ACK"] == r["accepted"] > 0
    assert by_kind["REJECT"] == rejected


def test_its_histograms_are_real_and_in_run_json(run_folder: Path) -> None:
    run = load_run(run_folder)
    nautilus = run.build("nautilus")
    assert nautilus.peer is not None
    lat = nautilus.latency_ns
    assert lat.e2e.count == run.scenario.order_requests
    assert lat.tick_to_book.count == run.scenario.market_data_events
    peer = nautilus.peer
    assert 0 < peer.submit_ns.count <= run.scenario.order_requests
    assert peer.submit_to_accepted_ns.count == peer.requests["accepted"]
    for s in (peer.submit_ns, peer.submit_to_accepted_ns, peer.submit_to_answer_ns, lat.e2e):
        assert 0 < s.min <= s.p50 <= s.p99 <= s.p999 <= s.max, s
    # accepted comes after the submit path has handed the order on
    assert peer.submit_to_accepted_ns.p50 > peer.submit_ns.min
    # its interval log decodes into the histograms run.json summarises
    reader = HistogramLogReader(
        str(run_folder / nautilus.files.hlog), HdrHistogram(1, 3_600_000_000_000, 3)
    )
    merged: dict[str, HdrHistogram] = {}
    while (h := reader.get_next_interval_histogram()) is not None:
        merged.setdefault(h.get_tag(), HdrHistogram(1, 3_600_000_000_000, 3)).add(h)
    reader.close()
    for metric in ("e2e", "risk", "execution"):
        s = lat.of(metric)
        assert merged[metric].get_total_count() == s.count > 0, metric
        assert merged[metric].get_value_at_percentile(50) == s.p50, metric
    assert (run_folder / nautilus.files.hgrm["e2e"]).is_file()
