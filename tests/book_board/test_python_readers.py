"""``hotpath_rs.BookBoard``: a Python thread polls the engine's top of book while the engine
replays on another thread (GIL released), and sees whole snapshots in order."""

from __future__ import annotations

import threading

import hotpath_rs
import pytest

from hotpath_format import EventFile, read_events, report_digest
from hotpath_lab.scenarios.generate import build_scenario


@pytest.fixture(scope="module")
def smoke() -> EventFile:
    return read_events(build_scenario("smoke", scale=0.2))


@pytest.mark.parametrize("kind", ["epoch", "mutex"])
def test_a_python_reader_sees_consistent_snapshots_while_the_engine_runs(
    smoke: EventFile, kind: str
) -> None:
    meta_json = smoke.meta.to_json()
    board = hotpath_rs.BookBoard(meta_json, kind)
    assert (board.kind, board.instruments) == (kind, len(smoke.meta.instruments))
    outcome: dict[str, tuple[str, int]] = {}
    engine = threading.Thread(
        target=lambda: outcome.update(run=board.publish_replay(smoke.records))
    )
    reader = board.reader()
    seqs: dict[int, list[int]] = {i: [] for i in range(board.instruments)}
    engine.start()
    while engine.is_alive():
        for i, seen in seqs.items():
            top = reader.top(i)
            if top is None:
                assert not seen, f"instrument {i}: a published top disappeared"
                continue
            # (the top is consolidated over venues, so bid ≥ ask is legitimate: one venue's
            # bid above another's ask; a torn snapshot shows as a ts not of its seq's event)
            bid, ask, seq, ts = top
            for side in (bid, ask):
                assert side is None or (side[0] > 0 and side[1] > 0), top
            assert ts == int(smoke.records["ts"][seq]), "ts is the publishing event's"
            assert not seen or seen[-1] <= seq, f"instrument {i}: seq went back to {seq}"
            if not seen or seen[-1] != seq:
                seen.append(seq)
    engine.join()
    digest, published = outcome["run"]
    assert digest == report_digest(hotpath_rs.replay(meta_json, smoke.records)), (
        "publishing changed the engine's reports"
    )
    assert published > 0
    finals = [reader.top(i) for i in seqs]
    assert all(t is not None for t in finals)
    again = hotpath_rs.BookBoard(meta_json, kind)
    assert again.publish_replay(smoke.records) == (digest, published)
    fresh = again.reader()
    assert [fresh.top(i) for i in seqs] == finals, "the last tops do not depend on the reader"
    mem = board.memory()
    if kind == "epoch":
        assert mem["allocated"] == published and mem["live"] >= board.instruments
    else:
        assert mem["allocated"] == 0 and mem["peak_bytes"] == mem["fixed_bytes"] > 0


def test_unknown_instruments_and_kinds_are_value_errors(smoke: EventFile) -> None:
    board = hotpath_rs.BookBoard(smoke.meta.to_json())
    assert board.kind == "epoch"
    reader = board.reader()
    assert reader.top(0) is None, "nothing published yet"
    with pytest.raises(ValueError, match="instrument 99 is not on the board"):
        reader.top(99)
    with pytest.raises(ValueError, match='unknown board kind "rwlock"'):
        hotpath_rs.BookBoard(smoke.meta.to_json(), "rwlock")


def test_a_reader_belongs_to_the_thread_that_made_it(smoke: EventFile) -> None:
    board = hotpath_rs.BookBoard(smoke.meta.to_json())
    reader = board.reader()
    errors: list[BaseException] = []

    def use_elsewhere() -> None:
        try:
            reader.top(0)
        except BaseException as exc:  # pyo3 raises its PanicException, a BaseException
            errors.append(exc)

    t = threading.Thread(target=use_elsewhere)
    t.start()
    t.join()
    assert len(errors) == 1 and "unsendable" in str(errors[0])
