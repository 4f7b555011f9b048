"""How the publisher cuts the report stream into entries, where snapshots go, and how it
resumes after what the streams already hold (no Redis needed)."""

from __future__ import annotations

import numpy as np
import pytest
from tests.dropcopy_support import random_reports

from hotpath_dropcopy.outbox import Outbox, SourceError, Stream
from hotpath_format import POSITION_DTYPE, PositionFold
from hotpath_lab.dropcopy.verify import fold_positions


def drain(outbox: Outbox) -> list[tuple[str, int, int]]:
    out = []
    while len(outbox):
        e = outbox.acknowledged()
        out.append((e.stream.value, e.first, e.last))
    return out


def test_entries_in_batches_and_snapshots_after_their_report() -> None:
    reports = random_reports(600)
    outbox = Outbox(batch=200, every=250)
    outbox.take(reports[:450].tobytes())
    outbox.take(reports[450:].tobytes())
    outbox.close()
    assert drain(outbox) == [
        ("reports", 1, 200),
        ("reports", 201, 250),
        ("positions", 250, 250),
        ("reports", 251, 450),
        ("reports", 451, 500),
        ("positions", 500, 500),
        ("reports", 501, 600),
        ("positions", 600, 600),  # the closing snapshot
    ]
    assert outbox.pending_reports == 0


def test_each_snapshot_is_the_fold_as_of_its_seq() -> None:
    reports = random_reports(1_000, seed=7)
    outbox = Outbox(batch=256, every=300)
    outbox.take(reports.tobytes())
    snapshots = [outbox.acknowledged() for _ in range(len(outbox))]
    for e in (s for s in snapshots if s.stream is Stream.POSITIONS):
        got = np.frombuffer(e.data, POSITION_DTYPE)
        assert got.tobytes() == fold_positions(reports[: e.last]).tobytes(), e.last


def test_resume_drops_what_the_streams_hold_and_keeps_a_tail() -> None:
    reports = random_reports(500)
    outbox = Outbox(batch=100, every=200)
    outbox.take(reports[:300].tobytes())
    outbox.resume(reports_top=150, positions_top=200)
    assert drain(outbox) == [("reports", 151, 200), ("reports", 201, 300)]
    outbox.take(reports[300:].tobytes())
    outbox.resume(reports_top=420, positions_top=200)
    entries = []
    while len(outbox):
        entries.append(outbox.acknowledged())
    assert [(e.stream.value, e.first, e.last) for e in entries] == [
        ("positions", 400, 400),
        ("reports", 421, 500),
    ]
    assert bytes(entries[1].data) == reports[420:].tobytes()


def test_reports_the_streams_hold_are_not_made_into_entries_but_are_folded() -> None:
    reports = random_reports(400, seed=8)
    outbox = Outbox(batch=256, every=100)
    outbox.resume(reports_top=250, positions_top=100)
    outbox.take(reports.tobytes())
    entries = [outbox.acknowledged() for _ in range(len(outbox))]
    assert [(e.stream.value, e.first, e.last) for e in entries] == [
        ("positions", 200, 200),
        ("reports", 251, 300),
        ("positions", 300, 300),
        ("reports", 301, 400),
        ("positions", 400, 400),
    ]
    fold = PositionFold()
    fold.fold(reports)
    assert bytes(entries[-1].data) == fold.snapshot().tobytes()


def test_rewind_starts_over_from_seq_1() -> None:
    reports = random_reports(300)
    outbox = Outbox(batch=256, every=1_000)
    outbox.take(reports.tobytes())
    outbox.close()
    outbox.rewind()
    assert (outbox.read, len(outbox), outbox.closed) == (0, 0, False)
    outbox.resume(0, 0)
    outbox.take(reports.tobytes())
    outbox.close()
    assert drain(outbox) == [("reports", 1, 256), ("reports", 257, 300), ("positions", 300, 300)]


def test_a_source_giving_other_reports_is_named() -> None:
    reports = random_reports(20)
    outbox = Outbox(batch=256, every=1_000)
    outbox.take(reports[:10].tobytes())
    with pytest.raises(SourceError, match=r"asked for seqs 11…20, got 1…10"):
        outbox.take(reports[:10].tobytes())
    with pytest.raises(SourceError, match="got 63 bytes"):
        outbox.take(b"\0" * 63)
