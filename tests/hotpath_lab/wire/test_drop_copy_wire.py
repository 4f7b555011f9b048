"""``hotpath bench --mode wire --drop-copy lab``: both gateways measured off and on, each
gateway publishing every session under a prefix of its own, the timed session read back
and checked against the reports the generator received."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.hotpath_lab.wire.conftest import SPEED

from hotpath_lab.cli import main
from hotpath_lab.dropcopy.server import RedisUnavailable, find_binary
from hotpath_lab.storage import load_run

GATEWAYS = ("wire-rust", "wire-python")


@pytest.fixture(scope="module")
def drop_copy_wire_run(wire_scenario: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    try:
        find_binary()
    except RedisUnavailable as exc:
        pytest.skip(f"the drop-copy needs a real Redis server: {exc}")
    results = tmp_path_factory.mktemp("wire-drop-copy")
    code = main(
        [
            "bench", "--mode", "wire", "--scenario", str(wire_scenario),
            "--builds", ",".join(GATEWAYS), "--speed", str(SPEED), "--warmup", "1000",
            "--drop-copy", "lab", "--snapshot-every", "500", "--results-dir", str(results),
        ]
    )  # fmt: skip
    assert code == 0, "the wire run failed, a digest differs or a stream is incomplete"
    (folder,) = [p for p in (results / "sample").iterdir() if (p / "run.json").is_file()]
    return folder


@pytest.mark.slow
def test_both_gateways_publish_their_timed_session_exactly_once(
    drop_copy_wire_run: Path,
) -> None:
    run = load_run(drop_copy_wire_run)
    assert set(run.builds) == {r for g in GATEWAYS for r in (g, f"{g}@drop-copy")}
    assert run.agree and len(set(run.digests.values())) == 1
    for gateway in GATEWAYS:
        row = run.builds[f"{gateway}@drop-copy"]
        dc = row.drop_copy
        assert dc is not None
        # the warm-up was session 1; the timed session is the gateway's second
        assert dc.prefix == f"hotpath:{run.run_id}:{gateway}@drop-copy:session-2"
        assert dc.check.exactly_once, (gateway, dc.check)
        assert dc.check.published == dc.publisher.published == row.reports > 0
        assert dc.check.snapshots == -(-row.reports // 500)
        assert dc.publisher.error is None


def test_a_floor_has_nothing_to_publish() -> None:
    from hotpath_lab.drivers.plugin import BuildSpecError
    from hotpath_lab.wire.targets import TARGETS, GatewayShape

    with pytest.raises(BuildSpecError, match="is a floor"):
        TARGETS["zmq-echo"].command("tcp://127.0.0.1:0", GatewayShape(), ("redis://x:1", "p", 1))
    argv = TARGETS["wire-python"].command("tcp://127.0.0.1:0", GatewayShape(), ("u", "p", 7))
    assert argv[-6:] == ["--drop-copy", "u", "--drop-copy-prefix", "p", "--snapshot-every", "7"]
