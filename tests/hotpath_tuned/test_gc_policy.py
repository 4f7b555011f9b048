"""The GC switches do what they say: after ``warmed_up`` the collector is frozen, retuned or
off, and with it off the engine's own collections run on schedule and are recorded."""

from __future__ import annotations

import gc
from pathlib import Path

import numpy as np
import pytest

from hotpath_format import EVENT_STRUCT, EventFile
from hotpath_lab.drivers.builds import TunedBuild
from hotpath_lab.options import Job, RunOptions
from hotpath_lab.worker import run_worker
from hotpath_tuned import (
    THRESHOLDS,
    CollectingEngine,
    GcPolicy,
    ScheduledCollections,
    TunedService,
    Tuning,
)


def test_freeze_moves_what_exists_after_the_warm_up_out_of_the_collectors_view() -> None:
    assert gc.get_freeze_count() == 0
    TunedBuild("freeze").warmed_up()
    frozen = gc.get_freeze_count()
    assert frozen > 1_000  # the interpreter, the lab and this test session
    assert gc.isenabled()
    assert gc.get_threshold() != THRESHOLDS


def test_thresholds_makes_young_collections_rarer() -> None:
    TunedBuild("thresholds").warmed_up()
    assert gc.get_threshold() == THRESHOLDS
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_gc_off_disables_the_collector() -> None:
    TunedBuild("gc-off").warmed_up()
    assert not gc.isenabled()


def test_restore_puts_the_collector_back_and_apply_twice_is_once() -> None:
    before = gc.get_threshold()
    policy = GcPolicy(freeze=True, thresholds=True, off=True)
    policy.apply()
    frozen = gc.get_freeze_count()
    policy.apply()  # no second freeze of the first call's own objects, no second save
    assert gc.get_freeze_count() == frozen
    policy.restore()
    assert gc.get_threshold() == before
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_the_schedule_collects_after_every_nth_event_and_records_each() -> None:
    schedule = ScheduledCollections(n_events=10, every=4)
    ran = []
    for index in range(10):
        if index >= schedule.due:
            schedule.collect(index)
            ran.append(index)
    assert ran == [3, 7]
    record = schedule.record()
    assert record["event_index"].tolist() == [3, 7]
    assert (record["pause_ns"] > 0).all()


def test_with_gc_off_the_engine_collects_on_schedule_and_leaves_no_cyclic_garbage(
    smoke: EventFile,
) -> None:
    """The claim ``gc-off`` rests on: the Python engine makes no reference cycles, so the
    heap is bounded by reference counting; a full collection afterwards frees nothing."""
    meta, records = smoke.meta, smoke.records
    gc.collect()
    gc.disable()
    engine = CollectingEngine(meta, n_events=len(records), every=5_000)
    buf = records.view(np.uint8).data
    for i in range(len(records)):
        engine.handle(i, *EVENT_STRUCT.unpack_from(buf, i * EVENT_STRUCT.size))
    record = engine.collections.record()
    assert record["event_index"].tolist() == list(range(4_999, len(records), 5_000))
    assert record["collected"].sum() == 0
    assert gc.collect() == 0


def test_the_service_names_uvloop_as_its_loop_only_under_uvloop() -> None:
    import uvloop

    from hotpath_format import ScenarioMeta

    meta = ScenarioMeta.from_json(
        '{"schema": 1, "instruments": [], "venues": [{"id": 0, "name": "v"}], "accounts": []}'
    )
    assert TunedService(meta, Tuning.parse("none"), n_events=0).loop_factory is None
    factory = TunedService(meta, Tuning.parse("uvloop"), n_events=0).loop_factory
    assert factory is uvloop.new_event_loop


@pytest.mark.parametrize("spec", ["python-tuned+gc-off", "python-tuned+freeze+gc-off"])
def test_in_the_worker_gc_off_leaves_only_the_scheduled_collections(
    smoke: EventFile, tmp_path: Path, spec: str
) -> None:
    """Every collection the worker records in the timed pass is one the engine scheduled:
    the collector itself never ran (it was off), and each scheduled one was seen."""
    options = RunOptions(
        builds=(spec,), pace="max", warmup=3_000, throughput=False, overhead=False,
        jitter_seconds=0,
    )  # fmt: skip
    job = Job(
        kind="measure", build=spec, scenario_path=str(smoke.path), out=str(tmp_path),
        options=options,
    )  # fmt: skip
    result = run_worker(job)
    assert not gc.isenabled()  # the policy holds for every pass after the warm-up
    scheduled = len(smoke.records) // 5_000
    by_generation = result["gc"]["by_generation"]
    assert result["gc"]["count"] == scheduled == by_generation["1"]["count"]
    assert by_generation["0"]["count"] == by_generation["2"]["count"] == 0
    csv = (tmp_path / result["files"]["gc_csv"]).read_text().splitlines()
    assert len(csv) == 1 + scheduled
