"""The process callgrind runs: one build replaying the gate's slice once, counted.

``python -m hotpath_lab.gate.det.probe BUILD SCENARIO all|market OUT.json`` loads the
scenario, takes the whole of it (``all``: market data and order requests) or only its
market data (``market``), warms the build up on it outside any counted frame, then replays
it through a fresh engine inside ``hotpath_toolkit.counted_region`` twice — first with no
events at all (what a replay costs whatever its length: creating the engine, reading the
reports out), then the slice — and enters that frame once more with nothing to do.
Callgrind dumps its counters each time the frame is entered (``--dump-before``), so the
second dump holds exactly the empty replay and the third exactly the slice's.
(Toggling collection instead leaves call counters running outside the frame, so every call
made before it — imports, the warm-up — was counted as an allocation.)

The difference between the slices is the order requests' cost, including the market-data
work they cause (a sweep reduces a local level; resting orders change what trades fill:
docs/pipeline.md). It writes the slice's counts and report digest to ``OUT.json``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from hotpath_format import EventKind, ScenarioMeta, read_events, report_digest
from hotpath_lab.atomic import atomic_write_bytes
from hotpath_lab.drivers.builds import BUILTIN
from hotpath_lab.drivers.plugin import AnyBuild, SelfDrivenBuild, load_build
from hotpath_lab.drivers.python_loop import feed

ORDER_KINDS = (EventKind.NEW_ORDER, EventKind.CANCEL, EventKind.REPLACE)
SLICES = ("all", "market")


def replay(build: AnyBuild, meta: ScenarioMeta, records: np.ndarray) -> np.ndarray:
    """One replay through a fresh engine, with no timing at all (a clock read costs a
    varying number of instructions); returns its reports."""
    if isinstance(build, SelfDrivenBuild):
        return build.replay(meta, records)
    pipeline = build.create(meta, len(records), stage_timing=False)
    feed(pipeline, records)
    return np.asarray(pipeline.report_array())


def main(argv: list[str]) -> int:
    if len(argv) != 4 or argv[2] not in SLICES:
        print(f"usage: python -m hotpath_lab.gate.det.probe BUILD SCENARIO {'|'.join(SLICES)} "
              "OUT.json", file=sys.stderr)  # fmt: skip
        return 2
    from hotpath_toolkit import counted_region

    spec, scenario_path, which, out = argv
    scenario = read_events(scenario_path)
    records, meta = scenario.records, scenario.meta
    is_order = np.isin(np.asarray(records["kind"]), ORDER_KINDS)
    if which == "market":
        records = np.ascontiguousarray(records[~is_order])
    build = load_build(spec, BUILTIN)
    replay(build, meta, records)  # imports, caches and lazy set-up happen out of the count
    warmed_up = getattr(build, "warmed_up", None)
    if warmed_up is not None:  # as the worker does after its warm-up (docs/measurement.md)
        warmed_up()
    nothing = records[:0]
    counted_region(lambda: replay(build, meta, nothing))  # a replay's fixed cost alone
    reports = counted_region(lambda: replay(build, meta, records))
    counted_region(lambda: None)  # entering the frame again ends the counted part's dump
    result: dict[str, Any] = {
        "build": build.name,
        "slice": which,
        "events": len(records),
        "order_requests": int(is_order.sum()) if which == "all" else 0,
        "digest": report_digest(reports),
    }
    atomic_write_bytes(Path(out), json.dumps(result).encode())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
