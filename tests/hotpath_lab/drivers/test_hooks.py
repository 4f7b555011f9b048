"""The two optional hooks of the plug-in interface (``docs/measurement.md``): a build's
``warmed_up()``, called once between the warm-up and the timed pass, and a pipeline's
``loop_factory``, the event loop the Python driver runs on. Builds without them are driven
as before (the rest of the suite)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import numpy as np
import pytest
from tests.hotpath_lab.drivers import hooked

from hotpath_format import EVENT_DTYPE, REPORT_DTYPE, write_events
from hotpath_lab.drivers.python_loop import feed, run_pass
from hotpath_lab.options import Job, RunOptions
from hotpath_lab.pacing import Pace
from hotpath_lab.worker import run_worker

META = {"schema": 1, "instruments": [], "venues": [{"id": 0, "name": "v"}], "accounts": []}
SPEC = "tests.hotpath_lab.drivers.hooked:HookedBuild"


def run(tmp_path: Path, warmup: int) -> list[str]:
    scenario = tmp_path / "md.hpe"
    records = np.zeros(2_000, EVENT_DTYPE)
    records["kind"] = 4
    write_events(scenario, META, records)
    options = RunOptions(
        builds=(SPEC,), pace="rate:200000", warmup=warmup, throughput=True, overhead=False,
        jitter_seconds=0,
    )  # fmt: skip
    job = Job(
        kind="measure", build=SPEC, scenario_path=str(scenario), out=str(tmp_path / "out"),
        options=options,
    )  # fmt: skip
    (tmp_path / "out").mkdir()
    hooked.CALLS.clear()
    run_worker(job)
    return list(hooked.CALLS)


def test_warmed_up_is_called_once_after_the_warm_up_and_before_the_timed_pass(
    tmp_path: Path,
) -> None:
    assert run(tmp_path, warmup=500) == [
        "create(stage_timing=False)", "loop:uvloop",  # warm-up
        "warmed_up",
        "create(stage_timing=True)", "loop:uvloop",  # timed pass
        "create(stage_timing=False)", "loop:uvloop",  # throughput pass
    ]  # fmt: skip


def test_warmed_up_is_called_even_without_a_warm_up(tmp_path: Path) -> None:
    calls = run(tmp_path, warmup=0)
    assert calls.count("warmed_up") == 1
    assert calls[0] == "warmed_up"


class Recording:
    """A pipeline without a ``loop_factory``: the driver keeps asyncio's own loop."""

    asynchronous = True

    def __init__(self) -> None:
        self.loops: set[str] = set()
        self.handle = self._handle

    async def _handle(self, *_: int) -> None:
        self.loops.add(type(asyncio.get_running_loop()).__module__)

    def report_array(self) -> np.ndarray:
        return np.zeros(0, REPORT_DTYPE)

    def stage_times(self) -> None:
        return None


@pytest.mark.parametrize("drive", ["run_pass", "feed"])
def test_a_pipeline_without_a_loop_factory_runs_on_asyncios_loop(drive: str) -> None:
    records = np.zeros(10, EVENT_DTYPE)
    pipeline = Recording()
    if drive == "run_pass":
        run_pass(pipeline, records, Pace.parse("max"))
    else:
        feed(pipeline, records)
    assert pipeline.loops == {"asyncio.unix_events"}


@pytest.mark.parametrize("drive", ["run_pass", "feed"])
def test_a_pipeline_naming_uvloop_runs_on_uvloop(drive: str) -> None:
    import uvloop

    records = np.zeros(10, EVENT_DTYPE)
    pipeline = Recording()
    pipeline.loop_factory = uvloop.new_event_loop  # type: ignore[attr-defined]
    if drive == "run_pass":
        run_pass(pipeline, records, Pace.parse("max"))
    else:
        feed(pipeline, records)
    assert {m.split(".")[0] for m in pipeline.loops} == {"uvloop"}


def test_the_overhead_pass_runs_on_the_loop_the_build_names() -> None:
    """The driver's own cost is measured on the build's loop, not on asyncio's."""
    import uvloop

    from hotpath_format import ScenarioMeta
    from hotpath_lab.drivers.builds import TunedBuild, overhead_build

    meta = ScenarioMeta.from_json(json.dumps(META))
    empty = overhead_build(TunedBuild("uvloop"), meta).create(meta, 0, stage_timing=False)
    assert empty.asynchronous
    assert getattr(empty, "loop_factory", None) is uvloop.new_event_loop
    plain = overhead_build(TunedBuild("direct"), meta).create(meta, 0, stage_timing=False)
    assert not plain.asynchronous
    assert getattr(plain, "loop_factory", None) is None
