"""The ``rust-native`` build: the replay loop, pacing and stamps all run in Rust.

The loop (``hotpath_toolkit.native_run``, in the lab's native toolkit) calls the engine as a
library with the GIL released; Python only hands over the mapped records and reads the stamps
back. Progress comes from a counter the loop bumps and a thread that polls it, so the loop
itself never calls out.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

import numpy as np

from hotpath_format import ScenarioMeta, order_capacity
from hotpath_lab.drivers.plugin import DropCopyTarget, PassTimes, ProgressFn
from hotpath_lab.pacing import Pace


class NativeBuild:
    """Rust engine with the replay loop in Rust (a ``SelfDrivenBuild``)."""

    name = "rust-native"
    description = "Rust engine with the replay loop, pacing and timing in Rust, GIL released"
    publishes_drop_copy = True

    def drive(
        self,
        meta: ScenarioMeta,
        records: np.ndarray,
        pace: Pace,
        *,
        stage_timing: bool,
        limit: int | None = None,
        empty: bool = False,
        progress: ProgressFn | None = None,
        drop_copy: DropCopyTarget | None = None,
    ) -> tuple[PassTimes, np.ndarray]:
        import hotpath_toolkit

        extra = {} if drop_copy is None else {"drop_copy": drop_copy}  # the Rust publisher

        with _polled(progress) as tracker:
            out = hotpath_toolkit.native_run(
                meta.to_json(),
                records,
                pace.spec,
                pace.speed,
                stage_timing=stage_timing,
                limit=limit,
                empty=empty,
                progress=tracker,
                **extra,
            )
        times = PassTimes(
            t0=int(out["t0"]),
            intended=out["intended"],
            start=out["start"],
            end=out["end"],
            validated=out["validated"],
            risked=out["risked"],
            executed=out["executed"],
            spin_ns=int(out["spin_ns"]),
            spin_lost_ns=int(out["spin_lost_ns"]),
            drop_copy=out.get("drop_copy"),
        )
        return times, out["reports"]

    def replay(self, meta: ScenarioMeta, records: np.ndarray) -> np.ndarray:
        import hotpath_toolkit

        reports: np.ndarray = hotpath_toolkit.replay(meta.to_json(), records)
        return reports

    def retain(self, meta: ScenarioMeta, records: np.ndarray) -> tuple[object, int]:
        import hotpath_rs

        engine = hotpath_rs.Engine(meta.to_json(), 0, order_capacity(records))
        engine.replay(records)
        return engine, engine.report_count()


@contextlib.contextmanager
def _polled(progress: ProgressFn | None) -> Iterator[Any]:
    """A counter the native loop bumps while a thread passes it on to ``progress``."""
    if progress is None:
        yield None
        return
    import hotpath_toolkit

    tracker = hotpath_toolkit.ReplayProgress()
    stop = threading.Event()

    def poll() -> None:
        while not stop.wait(0.25):
            progress(*tracker.snapshot())

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    try:
        yield tracker
    finally:
        stop.set()
        thread.join()
        progress(*tracker.snapshot())
