"""Calls every PyO3 entry point of ``hotpath_rs`` and ``hotpath_toolkit`` on a small
scenario (the compiled ``_native`` modules themselves, so each call is one PyO3 entry point
with the argument types of its ``.pyi``), the refusals included (each extension's errors
raised from Rust): the program ``test_memcheck.py`` runs under valgrind memcheck. It checks
the answers it gets only loosely (that the builds agree): what is under test is the memory
traffic.

Run alone: ``python tests/reliability/memcheck_entrypoints.py [EVENTS]``; prints ``ok``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from hotpath_rs import _native as hotpath_rs

from hotpath_format import EVENT_DTYPE, REPORT_DTYPE, ScenarioMeta
from hotpath_lab.scenarios import generate_records, load_manifest, overlay
from hotpath_toolkit import _native as hotpath_toolkit

REPO = Path(__file__).resolve().parents[2]
MARKET_KINDS = (1, 2)


def main(events: int) -> None:
    manifest = load_manifest("smoke")
    hotpath_toolkit.validate_scenario_config(manifest.config_json())
    records, stats = generate_records(manifest, seed=7, scale=0.01)
    records = records[:events]
    meta = ScenarioMeta.from_dict(manifest.metadata(seed=7, scale=0.01, generator="memcheck",
                                                    stats=stats))  # fmt: skip
    meta_json = meta.to_json()
    raw = np.ascontiguousarray(records).view(np.uint8)
    digests = {
        "replay": _digest(hotpath_rs.replay(meta_json, raw)),
        "toolkit.replay": _digest(hotpath_toolkit.replay(meta_json, raw)),
        "engine": _engine(meta_json, records, raw),
        "detached": _detached(meta_json, records, raw),
        "threads": hotpath_rs.replay_threads(meta_json, [[raw], [raw]])[1][2][0],
        "native_run": _native_run(meta_json, raw),
    }
    if len(set(digests.values())) != 1:
        raise SystemExit(f"the entry points disagree: {digests}")
    _risk_desk(meta_json, records)
    market = np.ascontiguousarray(records[np.isin(records["kind"], MARKET_KINDS)])
    overlay(market, meta.raw, REPO / "scenarios" / "smoke.toml", seed=3)
    hotpath_toolkit.summarize_gaps(
        np.arange(10, 20, dtype=np.uint64), np.arange(10, dtype=np.uint64)
    )
    hotpath_toolkit.measure_jitter(0.05)
    hotpath_toolkit.counted_region(lambda: None)
    hotpath_rs.contract()
    _refusals(meta_json, raw)
    print("ok")


def _digest(report_bytes: np.ndarray) -> str:
    import hashlib

    return hashlib.sha256(report_bytes.view(REPORT_DTYPE).tobytes()).hexdigest()


def _engine(meta_json: str, records: np.ndarray, raw: np.ndarray) -> str:
    half = len(records) // 2
    engine = hotpath_rs.Engine(meta_json, 64, len(records))
    for index, r in enumerate(records[:half]):
        engine.on_event(index, *(int(r[f]) for f in EVENT_DTYPE.names or ()))
    engine.replay(raw[half * EVENT_DTYPE.itemsize :], half)
    engine.stage_times()
    assert engine.report_count() == len(engine.report_bytes()) // REPORT_DTYPE.itemsize
    spare = hotpath_rs.Engine(meta_json)
    first = records[0]
    spare.reject(0, *(int(first[f]) for f in EVENT_DTYPE.names or ()), 1)
    spare.digest()
    return _digest(engine.report_bytes())


def _detached(meta_json: str, records: np.ndarray, raw: np.ndarray) -> str:
    engine = hotpath_rs.DetachedEngine(meta_json, len(records))
    first = records[0]
    engine.on_event(0, *(int(first[f]) for f in EVENT_DTYPE.names or ()))
    engine.replay_batch(raw[EVENT_DTYPE.itemsize :], 1)
    engine.order_stamps()
    engine.report_count()
    return engine.digest()


def _native_run(meta_json: str, raw: np.ndarray) -> str:
    progress = hotpath_toolkit.ReplayProgress()
    out = hotpath_toolkit.native_run(meta_json, raw, "max", 1.0, progress=progress)
    progress.snapshot()
    kinds = raw.view(EVENT_DTYPE)["kind"].copy()
    hotpath_toolkit.record_timings(
        kinds, out["intended"], out["start"], out["end"], out["validated"], out["risked"],
        out["executed"], int(out["t0"]), 1_000_000, 0.0,
    )  # fmt: skip
    return _digest(out["reports"])


def _risk_desk(meta_json: str, records: np.ndarray) -> None:
    desk = hotpath_rs.RiskDesk(meta_json)
    for r in records[:200]:
        if r["kind"] == 1:
            desk.book_delta(int(r["instrument"]), int(r["venue"]), int(r["side"]),
                            int(r["price"]), int(r["qty"]))  # fmt: skip
        elif r["kind"] == 2:
            desk.trade(int(r["instrument"]), int(r["venue"]), int(r["side"]), int(r["price"]),
                       int(r["qty"]))  # fmt: skip
    price = desk.reference(0) or 100
    desk.check(0, 0, 1, price, 1, 1, True, 0, 0)
    desk.open(0, 0, 1, price, 1)
    desk.taker_fill(0, 0, 0, 1, price, 1)
    desk.open(0, 0, 1, price, 2)
    desk.maker_fill(0, 0, 1, price, 1, False)
    desk.release(0, 0, 1, price, 1)
    desk.loss_check(0)
    desk.holding(0, 0)


def _refusals(meta_json: str, raw: np.ndarray) -> None:
    """Each extension's errors, raised from Rust through the bridge to Python."""
    bad_meta = json.dumps({**json.loads(meta_json), "schema": 9})
    for call in (
        lambda: hotpath_rs.Engine(bad_meta),
        lambda: hotpath_rs.replay(meta_json, raw[:-1]),
        lambda: hotpath_toolkit.validate_scenario_config("{not json"),
        lambda: hotpath_toolkit.replay(bad_meta, raw),
    ):
        try:
            call()
        except ValueError:
            continue
        raise SystemExit("a refusal was not raised")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
