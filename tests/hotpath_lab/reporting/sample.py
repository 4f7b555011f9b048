"""A small synthetic scenario with a burst, and one shared bench run of it, for the tests
of profiling, plots, reports and notebooks.

The stream is plausible enough that every stage does real work: a two-venue book around a
drifting mid, prints that fill resting orders, limit orders on both sides (some crossing,
most resting), cancels of recent orders. Timestamps are calm (``calm_rate`` events/s), then
a burst (``burst_rate``) in the middle third, so the interval log has several one-second
intervals and the latency-over-time plot has something to show.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from hotpath_format import EVENT_DTYPE, read_events, write_events
from hotpath_lab.bench import run_bench
from hotpath_lab.options import ProfileSettings, RunOptions

BOOK_DELTA, TRADE, NEW_ORDER, CANCEL = 1, 2, 3, 4
BUY, SELL = 1, 2
LIMIT = 1
TICK = 100
MID = 1_000_000

META = {
    "schema": 1,
    "name": "sample",
    "description": "synthetic calm-burst-calm stream for the reporting tests",
    "instruments": [
        {
            "id": 0,
            "symbol": "SAMPLE",
            "tick_size": TICK,
            "lot_size": 10,
            "max_order_qty": 1_000_000,
            "max_price": 100 * MID,
            "band_bps": 1_000,
        }
    ],
    "venues": [{"id": 0, "name": "alpha"}, {"id": 1, "name": "beta"}],
    "accounts": [
        {
            "id": a,
            "name": f"acct{a}",
            "limits": {
                "max_order_notional": 10**15,
                "max_gross_notional": 10**17,
                "max_position": [10**9],
                "rate_limit_count": 1_000_000,
                "rate_limit_window_ns": 1_000_000_000,
                "max_open_orders": 200,
                "max_loss": 10**15,
            },
        }
        for a in range(2)
    ],
}


def sample_records(
    seconds: float = 3.0, calm_rate: float = 2_000.0, burst_rate: float = 12_000.0, seed: int = 7
) -> np.ndarray:
    rng = random.Random(seed)
    rows = []
    ts = 1_000_000_000
    end = ts + int(seconds * 1e9)
    burst = (ts + int(seconds * 1e9 / 3), ts + int(2 * seconds * 1e9 / 3))
    mid = MID
    next_id = 1
    live: list[tuple[int, int]] = []  # (id, account)
    while ts < end:
        rate = burst_rate if burst[0] <= ts < burst[1] else calm_rate
        ts += max(1, int(rng.expovariate(rate) * 1e9))
        roll = rng.random()
        venue = rng.randint(0, 1)
        side = rng.choice((BUY, SELL))
        if roll < 0.55:
            mid += TICK * rng.choice((-1, 0, 0, 1))
            depth = rng.randint(1, 8)
            price = mid - depth * TICK if side == BUY else mid + depth * TICK
            qty = 0 if rng.random() < 0.15 else 10 * rng.randint(1, 50)
            rows.append((ts, 0, 0, price, qty, 0, 0, BOOK_DELTA, side, 0, venue))
        elif roll < 0.65:
            price = mid + TICK * rng.randint(-3, 3)
            rows.append((ts, 0, 0, price, 10 * rng.randint(1, 20), 0, 0, TRADE, side, 0, venue))
        elif roll < 0.9 or not live:
            account = rng.randint(0, 1)
            offset = rng.randint(-2, 6) * TICK  # mostly passive, now and then crossing
            price = mid - offset if side == BUY else mid + offset
            qty = 10 * rng.randint(1, 30)
            rows.append((ts, next_id, 0, price, qty, 0, account, NEW_ORDER, side, LIMIT, venue))
            live.append((next_id, account))
            next_id += 1
        else:
            orig, account = live.pop(rng.randrange(len(live)))
            rows.append((ts, next_id, orig, 0, 0, 0, account, CANCEL, 0, 0, 0))
            next_id += 1
        if len(live) > 150:
            live.pop(0)
    return np.array(rows, dtype=EVENT_DTYPE)


def write_sample_scenario(path: Path, seconds: float = 3.0, seed: int = 7) -> Path:
    write_events(path, META, sample_records(seconds, seed=seed))
    return path


def bench_sample(
    root: Path,
    scenario: Path,
    *,
    profile: bool = False,
    builds: tuple[str, ...] = ("python", "rust-ffi", "rust-native"),
) -> Path:
    """One bench run of the sample scenario; a short profile pass when ``profile``."""
    options = RunOptions(
        builds=builds,
        warmup=500,
        overhead=False,
        profile=ProfileSettings(seconds=1.0, rate_hz=200) if profile else None,
        jitter_seconds=0.2,
    )
    return run_bench(read_events(scenario), options, root)


_RUNS: dict[str, Path] = {}


def shared_run(base: Path) -> Path:
    """The session's one profiled bench run of the sample scenario (made on first use).

    Plots, report, loader and notebook tests all read it; making it once keeps the suite
    fast. ``base`` is a session-wide directory (``tmp_path_factory.getbasetemp()``).
    """
    if "run" not in _RUNS:
        root = base / "sample-results"
        scenario = write_sample_scenario(base / "sample.hpe")
        _RUNS["run"] = bench_sample(root, scenario, profile=True)
    return _RUNS["run"]
