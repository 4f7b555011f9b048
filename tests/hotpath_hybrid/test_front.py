"""Phase 2 (``hybrid-risk-exec``): Python runs the static validation rules and decides those
rejects; the Rust engine owns the state, the stateful rules and the report stream."""

from __future__ import annotations

import numpy as np
from hotpath_rs import Engine as RustEngine
from tests.hotpath_asyncio.support import delta, make_meta, new

import hotpath_asyncio
from hotpath_asyncio.codes import BUY, SELL
from hotpath_format import Reason, ReportKind, Stage
from hotpath_hybrid import PythonValidationFront


def kinds_and_reasons(reports: np.ndarray) -> list[tuple[int, int, int]]:
    return [(int(r["kind"]), int(r["stage"]), int(r["reason"])) for r in reports]


def test_static_rejects_come_from_python_and_stateful_ones_from_rust() -> None:
    meta = make_meta()
    events = [
        delta(BUY, 99, 5),
        delta(SELL, 101, 5),
        new(1, BUY, 100, 1, venue=9),  # rule 3, static: decided in Python
        new(1, BUY, 100, 1),  # the id was used by that reject: DUPLICATE_ID, in Rust
        new(2, BUY, 100, 1, order_type=3, instrument=1),  # unknown instrument, static
        new(3, BUY, 100, 1),  # accepted and rests
    ]
    front = PythonValidationFront(meta, stage_events=len(events))
    python = hotpath_asyncio.Engine(meta)
    for i, ev in enumerate(events):
        front.handle(i, *ev)
        python.handle(i, *ev)
    got = kinds_and_reasons(front.report_array())
    assert got == kinds_and_reasons(python.report_array())
    assert got[:3] == [
        (ReportKind.REJECT, Stage.VALIDATION, Reason.UNKNOWN_VENUE),
        (ReportKind.REJECT, Stage.VALIDATION, Reason.DUPLICATE_ID),
        (ReportKind.REJECT, Stage.VALIDATION, Reason.UNKNOWN_INSTRUMENT),
    ]
    assert front.digest() == python.digest()
    stamps = front.stage_times()
    assert stamps is not None
    validated = stamps[0]
    assert validated[2] > 0 and validated[4] > 0, "a Python-side reject still stamps validation"
    assert validated[0] == 0, "market data has no validation stage"


def test_the_engine_takes_the_callers_reject_as_decided() -> None:
    # reject() is the front's decision, not a hint: Rust would have accepted this order
    engine = RustEngine(make_meta().to_json())
    ev = new(5, BUY, 100, 1)
    engine.reject(0, *ev, int(Reason.INVALID_PRICE))
    engine.on_event(1, *ev)  # the same id again: used by the reject
    reports = engine.report_array()
    assert kinds_and_reasons(reports) == [
        (ReportKind.REJECT, Stage.VALIDATION, Reason.INVALID_PRICE),
        (ReportKind.REJECT, Stage.VALIDATION, Reason.DUPLICATE_ID),
    ]
    assert list(reports["seq"]) == [1, 2] and list(reports["event_index"]) == [0, 1]
