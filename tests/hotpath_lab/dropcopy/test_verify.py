"""The exactly-once check catches what a broken publisher would leave: a gap, an overlap,
a missing or wrong snapshot, a malformed entry."""

from __future__ import annotations

import numpy as np
import pytest
import redis
from tests.dropcopy_support import new_prefix, random_reports

from hotpath_format import (
    PositionFold,
    ReportKind,
    encode_positions_entry,
    encode_reports_entry,
    positions_key,
    reports_key,
)
from hotpath_lab.dropcopy.client import RedisUnreachable
from hotpath_lab.dropcopy.server import RedisServer, free_port
from hotpath_lab.dropcopy.verify import check_exactly_once, fold_positions

REPORTS = random_reports(300, seed=11)
EVERY = 100


def write(url: str, entries: list[tuple[int, int]], snapshots: list[int]) -> str:
    """A stream written by hand: reports entries ``(first, last)``, snapshots as of each
    seq, folded right."""
    prefix = new_prefix()
    client = redis.Redis.from_url(url)
    for first, last in entries:
        entry, fields = encode_reports_entry(first, REPORTS[first - 1 : last].tobytes())
        client.xadd(reports_key(prefix), fields, id=entry)  # type: ignore[arg-type]
    for as_of in snapshots:
        fold = PositionFold()
        fold.fold(REPORTS[:as_of])
        entry, fields = encode_positions_entry(as_of, fold.snapshot())
        client.xadd(positions_key(prefix), fields, id=entry)  # type: ignore[arg-type]
    client.close()
    return prefix


def check(url: str, prefix: str) -> dict[str, object]:
    return dict(check_exactly_once(url, prefix, REPORTS, snapshot_every=EVERY))


def test_a_whole_stream_passes(redis_server: RedisServer) -> None:
    prefix = write(redis_server.url, [(1, 256), (257, 300)], [100, 200, 300])
    got = check(redis_server.url, prefix)
    assert got["exactly_once"] and got["error"] is None, got
    assert (got["published"], got["entries"], got["snapshots"]) == (300, 2, 3)


def test_a_gap_is_caught(redis_server: RedisServer) -> None:
    prefix = write(redis_server.url, [(1, 100), (121, 300)], [100, 200, 300])
    got = check(redis_server.url, prefix)
    assert not got["exactly_once"]
    assert (got["contiguous"], got["gaps"], got["duplicates"]) == (False, 20, 0)
    assert not got["digest_match"]


def test_a_duplicate_is_caught(redis_server: RedisServer) -> None:
    prefix = write(redis_server.url, [(1, 100), (91, 300)], [100, 200, 300])
    got = check(redis_server.url, prefix)
    assert not got["exactly_once"]
    assert (got["contiguous"], got["gaps"], got["duplicates"]) == (False, 0, 10)
    assert not got["digest_match"]


def test_a_short_stream_is_caught(redis_server: RedisServer) -> None:
    prefix = write(redis_server.url, [(1, 250)], [100, 200])
    got = check(redis_server.url, prefix)
    assert (got["contiguous"], got["gaps"], got["cadence_match"]) == (False, 50, False)
    assert not got["positions_match"], "the last snapshot is not as of the last report"


def test_a_missing_snapshot_is_caught(redis_server: RedisServer) -> None:
    prefix = write(redis_server.url, [(1, 256), (257, 300)], [100, 300])
    got = check(redis_server.url, prefix)
    assert got["digest_match"] and got["positions_match"]
    assert not got["cadence_match"] and not got["exactly_once"]


def test_wrong_positions_are_caught(redis_server: RedisServer) -> None:
    prefix = write(redis_server.url, [(1, 256), (257, 300)], [100, 200])
    client = redis.Redis.from_url(redis_server.url)
    wrong = fold_positions(REPORTS)
    wrong["position"][0] += 1
    entry, fields = encode_positions_entry(300, wrong)
    client.xadd(positions_key(prefix), fields, id=entry)  # type: ignore[arg-type]
    client.close()
    got = check(redis_server.url, prefix)
    assert got["digest_match"] and got["cadence_match"]
    assert not got["positions_match"] and not got["exactly_once"]


def test_a_malformed_entry_fails_with_its_name(redis_server: RedisServer) -> None:
    prefix = new_prefix()
    client = redis.Redis.from_url(redis_server.url)
    client.xadd(reports_key(prefix), {"first": "1", "count": "2", "records": b"x"}, id="2-0")
    client.close()
    got = check(redis_server.url, prefix)
    assert not got["exactly_once"]
    assert "reports entry 2-0: records is 1 bytes" in str(got["error"])


def test_the_reference_fold_is_the_contracts() -> None:
    fold = PositionFold()
    for part in np.array_split(REPORTS, 7):
        fold.fold(part)
    assert fold_positions(REPORTS).tobytes() == fold.snapshot().tobytes()


def test_a_stream_without_fills_folds_to_no_positions() -> None:
    quiet = REPORTS[REPORTS["kind"] != ReportKind.FILL]
    assert quiet.size and fold_positions(quiet).size == 0
    assert fold_positions(REPORTS[:0]).size == 0
    fold = PositionFold()
    fold.fold(quiet)
    assert fold.snapshot().size == 0


def test_no_server_is_named() -> None:
    url = f"redis://127.0.0.1:{free_port()}"
    with pytest.raises(RedisUnreachable, match=url):
        check_exactly_once(url, "p", REPORTS)
