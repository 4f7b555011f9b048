"""The Python publisher against a real Redis: every report once, in order, across batches,
a server restart mid-publish, a lost acknowledgement and a refused duplicate; a clear error
when there is no server."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import redis
from tests.dropcopy_support import (
    GrowingSource,
    grow_in_background,
    lab_redis,
    new_prefix,
    random_reports,
)

from hotpath_dropcopy import FIGURE_NAMES, DropCopyError, DropCopyPublisher
from hotpath_format import encode_reports_entry, positions_key, reports_key
from hotpath_lab.dropcopy.server import RedisServer, free_port
from hotpath_lab.dropcopy.verify import check_exactly_once


def publish(url: str, prefix: str, source: GrowingSource, **kw: Any) -> dict[str, object]:
    publisher = DropCopyPublisher(url, prefix, source, **kw)
    publisher.start()
    return dict(publisher.finish())


def stream_top(url: str, prefix: str) -> int:
    client = redis.Redis.from_url(url)
    last: Any = client.xrevrange(reports_key(prefix), count=1)
    client.close()
    return int(last[0][0].split(b"-")[0]) if last else 0


def test_every_report_once_in_batches_with_snapshots(redis_server: RedisServer) -> None:
    reports = random_reports(2_345)
    prefix = new_prefix()
    figures = publish(
        redis_server.url, prefix, GrowingSource(reports), batch=100, snapshot_every=1_000
    )
    assert list(figures) == list(FIGURE_NAMES)
    assert figures["error"] is None
    assert figures["produced"] == figures["published"] == figures["published_live"] == 2_345
    assert figures["entries"] == 24  # 23 of 100 and one of 45
    assert figures["snapshots"] == 3  # as of 1,000, 2,000 and the end, 2,345
    assert figures["unpublished"] == figures["refused_duplicates"] == figures["reconnects"] == 0
    check = check_exactly_once(redis_server.url, prefix, reports, snapshot_every=1_000)
    assert check["exactly_once"], check
    assert check["entries"] == 24


def test_a_source_that_grows_while_publishing(redis_server: RedisServer) -> None:
    reports = random_reports(20_000, seed=1)
    source = GrowingSource(reports, count=0)
    prefix = new_prefix()
    publisher = DropCopyPublisher(redis_server.url, prefix, source, snapshot_every=3_000)
    publisher.start()
    grow_in_background(source, step=37, pause_s=0.0005).join()
    figures = publisher.finish()
    assert figures["published"] == 20_000 and figures["error"] is None
    check = check_exactly_once(redis_server.url, prefix, reports, snapshot_every=3_000)
    assert check["exactly_once"], check


def test_no_reports_no_entries(redis_server: RedisServer) -> None:
    prefix = new_prefix()
    figures = publish(redis_server.url, prefix, GrowingSource(random_reports(0)))
    assert figures["produced"] == figures["entries"] == figures["snapshots"] == 0
    check = check_exactly_once(redis_server.url, prefix, random_reports(0))
    assert check["exactly_once"], check


def test_a_restart_mid_publish_loses_nothing_and_doubles_nothing(tmp_path: Path) -> None:
    reports = random_reports(60_000, seed=2)
    source = GrowingSource(reports, count=0)
    prefix = new_prefix()
    for server in lab_redis(tmp_path / "redis"):  # a server of its own: it is restarted
        publisher = DropCopyPublisher(server.url, prefix, source, snapshot_every=5_000)
        publisher.start()
        producer = grow_in_background(source, step=50, pause_s=0.001)
        while source.count < 20_000:
            time.sleep(0.005)
        server.restart()
        assert source.count < len(reports), "the restart happened while the source grew"
        producer.join()
        figures = publisher.finish()
        assert figures["error"] is None, figures
        assert figures["reconnects"] >= 1
        assert isinstance(figures["outage_s"], float) and figures["outage_s"] > 0
        assert figures["published"] == 60_000 and figures["unpublished"] == 0
        assert figures["lost_on_server"] == 0, "the append-only file keeps what was acknowledged"
        check = check_exactly_once(server.url, prefix, reports, snapshot_every=5_000)
        assert check["exactly_once"], check


def test_entries_written_before_a_lost_ack_are_not_sent_again(redis_server: RedisServer) -> None:
    """The stream already holds the first entries (written, their acknowledgement lost): the
    publisher resumes after them."""
    reports = random_reports(1_000, seed=3)
    prefix = new_prefix()
    client = redis.Redis.from_url(redis_server.url)
    for first in (1, 257):
        entry, fields = encode_reports_entry(first, reports[first - 1 : first + 255].tobytes())
        client.xadd(reports_key(prefix), fields, id=entry)  # type: ignore[arg-type]
    figures = publish(redis_server.url, prefix, GrowingSource(reports), snapshot_every=400)
    assert figures["published"] == 1_000 and figures["error"] is None
    # 513…768, 769…800, 801…1,000: an entry also ends where a snapshot is due
    assert figures["entries"] == 3
    assert figures["snapshots"] == 3  # 400 and 800 folded over what was skipped too; 1,000
    check = check_exactly_once(redis_server.url, prefix, reports, snapshot_every=400)
    assert check["exactly_once"], check
    client.close()


def test_a_duplicate_written_behind_its_back_is_refused_not_doubled(
    redis_server: RedisServer,
) -> None:
    """The same entries appear in the stream after the publisher resumed (as a second
    writer of the same stream would write them): Redis refuses the publisher's copies by
    their IDs, and the publisher realigns and goes on after them.

    Redis compares IDs only, so a copy cut at other boundaries could still overlap (an entry
    ending past the stream's top is accepted whole): the protocol rests on one publisher per
    prefix resuming after the top on every connection, and the check would report it."""
    reports = random_reports(1_000, seed=4)
    source = GrowingSource(reports, count=0)
    prefix = new_prefix()
    publisher = DropCopyPublisher(redis_server.url, prefix, source, batch=100)
    publisher.start()
    time.sleep(0.05)  # connected and resumed on an empty stream
    client = redis.Redis.from_url(redis_server.url)
    for first, last in ((1, 100), (101, 200)):
        entry, fields = encode_reports_entry(first, reports[first - 1 : last].tobytes())
        client.xadd(reports_key(prefix), fields, id=entry)  # type: ignore[arg-type]
    source.grow(1_000)
    figures = publisher.finish()
    assert figures["refused_duplicates"] >= 1, figures
    assert figures["published"] == 1_000 and figures["error"] is None
    check = check_exactly_once(redis_server.url, prefix, reports)
    assert check["exactly_once"], check
    client.close()


def test_no_server_is_an_error_naming_the_url() -> None:
    url = f"redis://127.0.0.1:{free_port()}"
    publisher = DropCopyPublisher(url, new_prefix(), GrowingSource(random_reports(1)))
    with pytest.raises(DropCopyError, match=f"no Redis answering at {url}"):
        publisher.start()
    with pytest.raises(DropCopyError, match="bad Redis URL 'http://x'"):
        DropCopyPublisher("http://x", "p", GrowingSource(random_reports(1))).start()


def test_a_server_gone_for_good_leaves_reports_unpublished(tmp_path: Path) -> None:
    reports = random_reports(500, seed=5)
    source = GrowingSource(reports, count=200)
    prefix = new_prefix()
    for server in lab_redis(tmp_path / "redis"):
        publisher = DropCopyPublisher(server.url, prefix, source, finish_timeout_s=0.5)
        publisher.start()
        deadline = time.monotonic() + 5
        while stream_top(server.url, prefix) < 200:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        server.stop()
        source.grow(300)
        figures = publisher.finish()
        assert figures["published"] == 200 and figures["unpublished"] == 300
        assert isinstance(figures["error"], str) and server.url in figures["error"]
        assert isinstance(figures["outage_s"], float) and figures["outage_s"] > 0


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ({"batch": 0}, "batch=0: expected 1 to 256"),
        ({"batch": 257}, "batch=257"),
        ({"snapshot_every": 0}, "snapshot_every=0"),
        ({"outbox_cap": 10, "batch": 20}, "outbox_cap=10"),
        ({"poll_s": 0}, "poll_s=0"),
    ],
)
def test_bad_settings_are_named(setting: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DropCopyPublisher("redis://127.0.0.1:1", "p", GrowingSource(random_reports(1)), **setting)


def test_finish_before_start_is_an_error() -> None:
    publisher = DropCopyPublisher("redis://127.0.0.1:1", "p", GrowingSource(random_reports(0)))
    with pytest.raises(DropCopyError, match="never started"):
        publisher.finish()


def test_what_the_server_lost_is_counted_and_published_again(redis_server: RedisServer) -> None:
    """The streams vanish (a server without persistence restarted) and the connection
    breaks: on reconnecting the publisher finds less than Redis had acknowledged, counts it
    and publishes again from seq 1 out of the engine's log."""
    reports = random_reports(30_000, seed=6)
    source = GrowingSource(reports, count=0)
    prefix = new_prefix()
    publisher = DropCopyPublisher(redis_server.url, prefix, source, snapshot_every=4_000)
    publisher.start()
    producer = grow_in_background(source, step=50, pause_s=0.001)
    while stream_top(redis_server.url, prefix) < 10_000:
        time.sleep(0.005)
    client = redis.Redis.from_url(redis_server.url)
    with client.pipeline(transaction=True) as wipe:  # at once: no XADD lands in between
        wipe.delete(reports_key(prefix), positions_key(prefix))
        wipe.client_kill_filter(_type="normal", skipme=True)
        wipe.execute()
    client.close()
    producer.join()
    figures = publisher.finish()
    assert figures["error"] is None, figures
    assert isinstance(figures["lost_on_server"], int) and figures["lost_on_server"] >= 10_000
    assert figures["reconnects"] >= 1 and figures["published"] == 30_000
    check = check_exactly_once(redis_server.url, prefix, reports, snapshot_every=4_000)
    assert check["exactly_once"], check


class StingySource(GrowingSource):
    """Serves at most 7 reports a call, and none every other call (as the hybrid's copy of
    the Rust engine's stream does between refreshes)."""

    calls = 0

    def report_records(self, start: int, stop: int) -> bytes:
        self.calls += 1
        return b"" if self.calls % 2 else super().report_records(start, min(stop, start + 7))


def test_a_source_that_serves_less_than_asked(redis_server: RedisServer) -> None:
    reports = random_reports(700, seed=9)
    prefix = new_prefix()
    figures = publish(redis_server.url, prefix, StingySource(reports), snapshot_every=100)
    assert figures["published"] == 700 and figures["error"] is None
    check = check_exactly_once(redis_server.url, prefix, reports, snapshot_every=100)
    assert check["exactly_once"], check


class BrokenSource(GrowingSource):
    def report_records(self, start: int, stop: int) -> bytes:
        raise RuntimeError(f"log unreadable at {start}")


def test_a_failing_source_is_reported_not_hidden(redis_server: RedisServer) -> None:
    figures = publish(redis_server.url, new_prefix(), BrokenSource(random_reports(10)))
    assert figures["error"] == "RuntimeError: log unreadable at 0"
    assert figures["published"] == 0 and figures["unpublished"] == 10
