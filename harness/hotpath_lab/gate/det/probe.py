"""The process callgrind runs: one build replaying the gate's slice once, counted.

``python -m hotpath_lab.gate.det.probe BUILD SCENARIO all|market OUT.json`` loads the
scenario, takes the whole of it (``all``: market data and order requests) or only its
market data (``market``), warms the build up on it outside any counted frame, then replays
it through a fresh engine inside ``hotpath_toolkit.counted_region``, the one frame callgrind
counts. Two processes per build (one per slice) rather than two counted calls in one:
callgrind merges calls from the same place into one cost.

Order requests change no book level in this pipeline (docs/pipeline.md: books follow market
data), so the market data costs the same in both slices and the difference is the order
requests' cost. It writes the slice's counts and report digest to ``OUT.json``.
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
    reports = counted_region(lambda: replay(build, meta, records))
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
