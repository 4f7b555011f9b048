"""Driving hftbacktest's side of the race: its own venv, a subprocess, a JSON answer.

``.venv-hftbacktest`` (``make hftbacktest`` creates it from ``requirements/hftbacktest.txt``)
holds hftbacktest, numba and the numpy they need; the lab's venv pins a numpy that
hftbacktest 2.4.4 refuses (``numpy<2.3``). The worker script imports nothing of the lab.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hotpath_lab.environment import REPO
from hotpath_lab.peers.capture_view import FUTURES_MARKETS, market_key
from hotpath_lab.peers.census import FileCensus
from hotpath_lab.scenarios.binance.capture import CaptureFile

WORKER = Path(__file__).with_name("hftbacktest_worker.py")
DEFAULT_PYTHON = REPO / ".venv-hftbacktest" / "bin" / "python"
WORKER_TIMEOUT_S = 3600


@dataclass(frozen=True, slots=True)
class GridSettings:
    """The grid maker's parameters (the same for every market, in each market's ticks)."""

    step_ns: int = 100_000_000
    grid_num: int = 5
    half_spread_ticks: int = 5
    grid_ticks: int = 5
    latency_ns: int = 100_000
    """Order entry and response latency each way (hftbacktest's constant order latency)."""

    def as_dict(self) -> dict[str, int]:
        return {
            "step_ns": self.step_ns,
            "grid_num": self.grid_num,
            "half_spread_ticks": self.half_spread_ticks,
            "grid_ticks": self.grid_ticks,
            "latency_ns": self.latency_ns,
        }


class HftbacktestUnavailable(RuntimeError):
    """The interpreter given for hftbacktest cannot import it (not installed)."""


class HftbacktestFailed(RuntimeError):
    """The worker ran and failed; the message holds the end of its stderr."""


def unavailable_reason(python: Path) -> str | None:
    """Why ``python`` cannot run the hftbacktest side, or None when it can."""
    if not python.is_file():
        return f"{python} does not exist (make hftbacktest creates it)"
    probe = subprocess.run(
        [str(python), "-c", "import hftbacktest"], capture_output=True, text=True, timeout=300
    )
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["?"])[-1]
        return f"{python} cannot import hftbacktest: {last}"
    return None


def run_worker(
    python: Path,
    captures: list[CaptureFile],
    censuses: list[FileCensus],
    grid: GridSettings,
    *,
    repeat: int,
    warmup_lines: int = 300,
) -> dict[str, Any]:
    """Runs the worker on ``captures``; returns its answer (see ``hftbacktest_worker``)."""
    reason = unavailable_reason(python)
    if reason is not None:
        raise HftbacktestUnavailable(reason)
    files = []
    for capture, counted in zip(captures, censuses, strict=True):
        market = FUTURES_MARKETS[market_key(capture)]
        # the converter preallocates its rows; the census bounds them (plus one clear per side)
        rows = counted.diff_levels + counted.snapshot_levels + counted.snapshot_sides
        rows += counted.market_trades + counted.market_trades_zero_qty + 1024
        files.append(
            {
                "name": capture.name,
                "path": str(capture.path),
                "tick_size": market.tick_size,
                "lot_size": market.lot_size,
                "inverse": market.inverse,
                "contract_size": market.contract_size,
                "order_qty": market.order_qty,
                "max_position": market.max_position,
                "buffer_rows": rows,
            }
        )
    request = {
        "files": files,
        "mm": grid.as_dict(),
        "warmup_lines": warmup_lines,
        "repeat": repeat,
    }
    with tempfile.TemporaryDirectory(prefix="hotpath-hftbacktest-") as tmp:
        req = Path(tmp) / "request.json"
        out = Path(tmp) / "answer.json"
        req.write_text(json.dumps(request))
        done = subprocess.run(
            [str(python), str(WORKER), str(req), str(out)],
            capture_output=True,
            text=True,
            timeout=WORKER_TIMEOUT_S,
        )
        if done.returncode != 0 or not out.is_file():
            tail = "\n".join(done.stderr.strip().splitlines()[-15:])
            raise HftbacktestFailed(f"hftbacktest worker exited {done.returncode}:\n{tail}")
        answer: dict[str, Any] = json.loads(out.read_text())
    return answer
