"""Every mode gives every shard the digest of a plain replay, at every level."""

from __future__ import annotations

from dataclasses import replace

import hotpath_rs
import numpy as np
import pytest
from hotpath_rs import _native

from hotpath_asyncio import replay as python_replay
from hotpath_format import EventFile
from hotpath_lab.gil.experiment import _point, concurrency_levels, run_experiment
from hotpath_lab.gil.modes import MODES, run_mode
from hotpath_lab.gil.shards import deal, split_by_account


def test_every_mode_agrees_with_a_plain_replay_of_each_shard(smoke: EventFile) -> None:
    experiment = run_experiment(smoke, max_concurrency=4, cores=2)
    assert experiment.levels == [1, 2, 4]
    assert {(p.mode, p.concurrency) for p in experiment.points} == {
        (m, k) for m in MODES for k in (1, 2, 4)
    }
    assert experiment.agree, [
        (p.mode, p.concurrency, p.mismatched_shards) for p in experiment.points
    ]
    # the reference is the Rust build's replay; the Python build's gives the same digests
    for shard in experiment.shards:
        assert (
            python_replay(smoke.meta, shard.records).digest() == experiment.reference[shard.account]
        )
    assert len(set(experiment.reference.values())) == len(experiment.shards)
    total_orders = sum(s.order_requests for s in experiment.shards)
    for p in experiment.points:
        # every order request of every shard was stamped exactly once
        assert p.order_latency.count == p.orders == total_orders
        assert 0 < p.order_latency.p50 <= p.order_latency.p99 <= p.order_latency.max
        assert p.wall_ns > 0 and p.events == sum(s.events for s in experiment.shards)
        assert p.cores_busy > 0


def test_a_shard_with_another_digest_is_named(smoke: EventFile) -> None:
    shards = split_by_account(smoke.records, len(smoke.meta.accounts))
    workers = [[shards[i] for i in dealt] for dealt in deal(len(shards), 2)]
    run = run_mode("rust-threads", smoke.meta, workers)
    reference = dict(run.digests)
    assert _point(run, 1.0, shards, reference).mismatched_shards == ()
    wrong = replace(run, digests={**run.digests, 2: "0" * 64})
    assert _point(wrong, 1.0, shards, reference).mismatched_shards == (2,)
    missing = replace(run, digests={a: d for a, d in run.digests.items() if a != 1})
    assert _point(missing, 1.0, shards, reference).mismatched_shards == (1,)


def test_unknown_mode_is_refused(smoke: EventFile) -> None:
    with pytest.raises(ValueError, match="unknown mode"):
        run_mode("green-threads", smoke.meta, [[]])


@pytest.mark.parametrize(
    ("cores", "max_concurrency", "shards", "expected"),
    [
        (2, 4, 4, [1, 2, 4]),
        (2, 2, 4, [1, 2]),
        (2, 1, 4, [1]),
        (8, 16, 4, [1, 2, 3, 4]),
        (1, 2, 4, [1, 2]),
        (4, 3, 4, [1, 2, 3]),
    ],
)
def test_levels_go_to_the_cores_then_the_maximum_never_past_the_shards(
    cores: int, max_concurrency: int, shards: int, expected: list[int]
) -> None:
    assert concurrency_levels(cores, max_concurrency, shards) == expected


def test_levels_refuse_zero() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        concurrency_levels(2, 0, 4)


def test_rust_threads_refuse_a_buffer_that_is_not_whole_records(smoke: EventFile) -> None:
    good = np.ascontiguousarray(smoke.records[:10]).view(np.uint8)
    with pytest.raises(hotpath_rs.FormatError, match="event buffer"):
        _native.replay_threads(smoke.meta.to_json(), [[good], [good[:47]]])
    with pytest.raises(TypeError, match="EVENT_DTYPE"):
        hotpath_rs.replay_threads(smoke.meta.to_json(), [[good]])
