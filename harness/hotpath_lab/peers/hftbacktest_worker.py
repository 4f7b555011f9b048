"""The hftbacktest side of the replay race, run by the interpreter of ``.venv-hftbacktest``.

hftbacktest pins ``numpy<2.3`` and the lab pins a newer numpy, so this script lives in a venv
of its own and imports nothing of the lab: ``python hftbacktest_worker.py REQUEST OUT``
reads a JSON request, converts each capture file with hftbacktest's own Binance futures
converter, replays the converted rows with a feed-only loop and with a grid market maker
(both numba-compiled, as hftbacktest's Python API expects) and writes a JSON answer to OUT.

numba's JIT warm-up is done first, on a tiny slice, and timed apart: the timed conversion and
loops run compiled code only. Stdout is left to hftbacktest's own progress prints.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
from hftbacktest import (
    BUY_EVENT,
    DEPTH_CLEAR_EVENT,
    DEPTH_EVENT,
    DEPTH_SNAPSHOT_EVENT,
    EXCH_EVENT,
    GTX,
    LIMIT,
    LOCAL_EVENT,
    TRADE_EVENT,
    BacktestAsset,
    HashMapMarketDepthBacktest,
)
from hftbacktest.data.utils import binancefutures
from numba import njit

NO_TIMEOUT = 1 << 62
"""wait_next_feed's timeout: longer than any capture, so it returns on a feed or the end."""
EVENT_TYPE_MASK = 0xFF
FAR_TICK = 1 << 40
"""A best tick beyond this is the depth's empty-side sentinel."""


def _feed_loop(hbt: Any) -> tuple[int, int]:
    """Wakes on every feed until the data ends; returns (wake-ups, last status)."""
    wakes = 0
    status = 2
    while status == 2:
        status = hbt.wait_next_feed(False, NO_TIMEOUT)
        if status == 2:
            wakes += 1
    return wakes, status


def _grid_loop(
    hbt: Any,
    step_ns: int,
    grid_num: int,
    half_spread_ticks: int,
    grid_ticks: int,
    order_qty: Any,
    max_position: Any,
) -> tuple[int, int, int, int]:
    """A grid market maker on every asset, requoting each ``step_ns`` of data time.

    Each step, per asset: ``grid_num`` bids below and asks above the mid, ``half_spread_ticks``
    away and ``grid_ticks`` apart, aligned to the grid; orders off the new grid are cancelled
    and missing ones submitted (post-only); a side stops quoting at ``max_position``.
    Returns (steps, orders submitted, cancels sent, last status).
    """
    steps = 0
    submitted = 0
    cancels = 0
    n_assets = hbt.num_assets
    status = 0
    while status == 0:
        status = hbt.elapse(step_ns)
        if status != 0:
            break
        steps += 1
        for a in range(n_assets):
            hbt.clear_inactive_orders(a)
            depth = hbt.depth(a)
            bid_tick = depth.best_bid_tick
            ask_tick = depth.best_ask_tick
            if bid_tick < -FAR_TICK or ask_tick > FAR_TICK or bid_tick >= ask_tick:
                continue
            tick = depth.tick_size
            mid2 = bid_tick + ask_tick  # twice the mid, in ticks
            top_bid = (mid2 // 2 - half_spread_ticks) // grid_ticks * grid_ticks
            top_ask = -((-(mid2 + 1) // 2 - half_spread_ticks) // grid_ticks) * grid_ticks
            position = hbt.position(a)
            quote_bids = position < max_position[a]
            quote_asks = position > -max_position[a]
            # cancel what is off the grid (or on a side that stopped quoting)
            values = hbt.orders(a).values()
            while values.has_next():
                order = values.get()
                if not order.cancellable:
                    continue
                p = order.price_tick
                if order.side == 1:
                    off = top_bid - p
                    keep = quote_bids and off >= 0 and off % grid_ticks == 0
                    keep = keep and off // grid_ticks < grid_num
                else:
                    off = p - top_ask
                    keep = quote_asks and off >= 0 and off % grid_ticks == 0
                    keep = keep and off // grid_ticks < grid_num
                if not keep:
                    hbt.cancel(a, order.order_id, False)
                    cancels += 1
            orders = hbt.orders(a)
            for i in range(grid_num):
                if quote_bids:
                    p = top_bid - i * grid_ticks
                    if p > 0 and p not in orders:
                        hbt.submit_buy_order(a, p, p * tick, order_qty[a], GTX, LIMIT, False)
                        submitted += 1
                if quote_asks:
                    p = top_ask + i * grid_ticks
                    if p not in orders:
                        hbt.submit_sell_order(a, p, p * tick, order_qty[a], GTX, LIMIT, False)
                        submitted += 1
    return steps, submitted, cancels, status


feed_loop = njit(_feed_loop)
grid_loop = njit(_grid_loop)


def convert(path: str, buffer_rows: int) -> np.ndarray:
    """hftbacktest's converter on one capture file (its progress prints go to stderr)."""
    with contextlib.redirect_stdout(sys.stderr):
        rows: np.ndarray = binancefutures.convert(path, buffer_size=buffer_rows)
    return rows


def row_counts(rows: np.ndarray) -> dict[str, int]:
    """Rows by event type, counting each level update once (the rows the local side sees);
    ``split`` is the extra exchange-only rows the converter's order correction added."""
    ev = rows["ev"].astype(np.int64)
    local = (ev & LOCAL_EVENT) != 0
    kind = ev & EVENT_TYPE_MASK
    return {
        "rows": len(rows),
        "local_rows": int(local.sum()),
        "exch_only_rows": int(
            ((ev & EXCH_EVENT) != 0).sum() - (local & ((ev & EXCH_EVENT) != 0)).sum()
        ),
        "depth": int((local & (kind == DEPTH_EVENT)).sum()),
        "snapshot": int((local & (kind == DEPTH_SNAPSHOT_EVENT)).sum()),
        "clear": int((local & (kind == DEPTH_CLEAR_EVENT)).sum()),
        "trade": int((local & (kind == TRADE_EVENT)).sum()),
        "last_local_ts": int(rows["local_ts"][local].max()) if local.any() else 0,
    }


def backtest(assets_rows: list[np.ndarray], specs: list[dict[str, Any]], latency_ns: int) -> Any:
    assets = []
    for rows, spec in zip(assets_rows, specs, strict=True):
        asset = BacktestAsset().data([rows])
        asset = (
            asset.inverse_asset(spec["contract_size"])
            if spec["inverse"]
            else asset.linear_asset(1.0)
        )
        asset = (
            asset.constant_order_latency(latency_ns, latency_ns)
            .risk_adverse_queue_model()
            .no_partial_fill_exchange()
            .trading_value_fee_model(-0.00005, 0.0007)
            .tick_size(spec["tick_size"])
            .lot_size(spec["lot_size"])
        )
        assets.append(asset)
    return HashMapMarketDepthBacktest(assets)


def tops(hbt: Any, n: int) -> list[list[float]]:
    return [[hbt.depth(a).best_bid, hbt.depth(a).best_ask] for a in range(n)]


def run_grid(
    hbt: Any, specs: list[dict[str, Any]], mm: dict[str, Any]
) -> tuple[int, int, int, int]:
    qty = np.array([s["order_qty"] for s in specs], np.float64)
    cap = np.array([s["max_position"] for s in specs], np.float64)
    result: tuple[int, int, int, int] = grid_loop(
        hbt, mm["step_ns"], mm["grid_num"], mm["half_spread_ticks"], mm["grid_ticks"], qty, cap
    )
    return result


def warm_up(specs: list[dict[str, Any]], mm: dict[str, Any], lines: int) -> float:
    """Compiles the converter's numba helpers and both loops on the first ``lines`` lines."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        sliced = []
        for i, spec in enumerate(specs):
            path = Path(tmp) / f"{i}.gz"
            with gzip.open(spec["path"], "rb") as src, gzip.open(path, "wb") as dst:
                for _ in range(lines):
                    dst.write(src.readline())
            sliced.append(convert(str(path), lines * 2000))
    hbt = backtest(sliced, specs, mm["latency_ns"])
    feed_loop(hbt)
    hbt.close()
    hbt = backtest(sliced, specs, mm["latency_ns"])
    run_grid(hbt, specs, mm)
    hbt.close()
    return time.perf_counter() - started


def last_group_applied(hbt: Any, rows: list[np.ndarray], specs: list[dict[str, Any]]) -> bool:
    """True when every asset's depth holds the sizes its last local rows set: the rows of the
    final timestamp end the data instead of waking the loop, so this shows they were applied."""
    for a, (data, spec) in enumerate(zip(rows, specs, strict=True)):
        ev = data["ev"].astype(np.int64)
        local = (ev & LOCAL_EVENT) != 0
        last = data["local_ts"][local].max()
        group = data[local & (data["local_ts"] == last) & ((ev & EVENT_TYPE_MASK) == DEPTH_EVENT)]
        final: dict[tuple[bool, int], float] = {}
        for row in group:
            buy = (int(row["ev"]) & BUY_EVENT) != 0
            final[(buy, round(row["px"] / spec["tick_size"]))] = float(row["qty"])
        depth = hbt.depth(a)
        for (buy, tick), qty in final.items():
            held = depth.bid_qty_at_tick(tick) if buy else depth.ask_qty_at_tick(tick)
            if held != qty:
                return False
    return True


def timed_loops(
    converted: list[np.ndarray], specs: list[dict[str, Any]], mm: dict[str, Any], repeat: int
) -> dict[str, Any]:
    """``repeat`` passes of each loop, each on a fresh backtest; the last pass's state."""
    out: dict[str, Any] = {}
    for name in ("feed", "grid"):
        load_s, replay_s = [], []
        for _ in range(repeat):
            started = time.perf_counter()
            hbt = backtest(converted, specs, mm["latency_ns"])
            load_s.append(time.perf_counter() - started)
            started = time.perf_counter()
            if name == "feed":
                wakes, status = feed_loop(hbt)
                replay_s.append(time.perf_counter() - started)
                detail: dict[str, Any] = {"wakes": int(wakes)}
            else:
                steps, submitted, cancels, status = run_grid(hbt, specs, mm)
                replay_s.append(time.perf_counter() - started)
                detail = {
                    "steps": int(steps),
                    "orders_submitted": int(submitted),
                    "cancels": int(cancels),
                    "fills": [int(hbt.state_values(a).num_trades) for a in range(len(specs))],
                    "positions": [float(hbt.position(a)) for a in range(len(specs))],
                }
            detail.update(
                status=int(status),
                end_ts=int(hbt.current_timestamp),
                tops=tops(hbt, len(specs)),
                last_group_applied=last_group_applied(hbt, converted, specs),
            )
            hbt.close()
        out[name] = {"load_s": load_s, "replay_s": replay_s, **detail}
    return out


def main(request_path: str, out_path: str) -> int:
    req = json.loads(Path(request_path).read_text())
    specs: list[dict[str, Any]] = req["files"]
    mm: dict[str, Any] = req["mm"]
    warmup_s = warm_up(specs, mm, req["warmup_lines"])

    files = []
    converted = []
    for spec in specs:
        started = time.perf_counter()
        rows = convert(spec["path"], spec["buffer_rows"])
        seconds = time.perf_counter() - started
        converted.append(rows)
        files.append({"name": spec["name"], "convert_s": seconds, **row_counts(rows)})
    local_ts = [r["local_ts"][(r["ev"].astype(np.int64) & LOCAL_EVENT) != 0] for r in converted]
    distinct = len(np.unique(np.concatenate(local_ts)))

    answer = {
        "toolchain": {
            "python": sys.version.split()[0],
            "hftbacktest": version("hftbacktest"),
            "numba": version("numba"),
            "llvmlite": version("llvmlite"),
            "numpy": version("numpy"),
        },
        "warmup_s": warmup_s,
        "files": files,
        "distinct_local_ts": distinct,
        **timed_loops(converted, specs, mm, int(req["repeat"])),
    }
    tmp = f"{out_path}.partial"
    Path(tmp).write_text(json.dumps(answer, indent=1))
    os.replace(tmp, out_path)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: hftbacktest_worker.py REQUEST.json ANSWER.json")
    sys.exit(main(sys.argv[1], sys.argv[2]))
