"""The part of a Binance capture both sides of the replay race can read: the futures books.

hftbacktest 2.4.4 converts Binance futures streams only (its converter reads the ``T``
transaction time that spot depth diffs and spot REST snapshots lack), so the race runs on the
USDⓈ-M and COIN-M files. ``futures_view`` lays them out as a capture directory of their own
(symlinks) that ``import_binance`` reads as it reads any capture; ``slice_capture`` keeps the
first lines of each file, for tests and quick runs.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

from hotpath_lab.scenarios.binance.capture import CaptureError, CaptureFile, discover

FUTURES_DIRS = ("usdm", "cm")


@dataclass(frozen=True, slots=True)
class FuturesMarket:
    """Exchange facts hftbacktest needs per market (its depth keys prices by tick) and the
    size of the grid maker's orders there."""

    tick_size: float
    lot_size: float
    inverse: bool
    contract_size: float
    """USD per contract of a coin-margined market; 1 for a linear one."""
    order_qty: float
    max_position: float


# Binance's contract specifications for the four markets of the 2024-08-08 capture.
FUTURES_MARKETS: dict[str, FuturesMarket] = {
    "usdm/btcusdt": FuturesMarket(0.1, 0.001, False, 1.0, 0.001, 0.01),
    "usdm/ethusdt": FuturesMarket(0.01, 0.001, False, 1.0, 0.01, 0.1),
    "cm/btcusd_perp": FuturesMarket(0.1, 1.0, True, 100.0, 1.0, 10.0),
    "cm/ethusd_perp": FuturesMarket(0.01, 1.0, True, 10.0, 1.0, 10.0),
}


def market_key(capture: CaptureFile) -> str:
    """``usdm/btcusdt`` for ``usdm/btcusdt_20240808.gz``."""
    return f"{capture.market.venue.directory}/{capture.market.stream_symbol}"


def futures_captures(src: Path) -> list[CaptureFile]:
    """``src``'s futures capture files in import order (venue, instrument, file name).

    Raises ``CaptureError`` when ``src`` holds none, or one of a market the race has no
    contract facts for.
    """
    captures = discover(src)
    found = [c for _, files in captures.markets for c in files if c.market.venue.futures]
    if not found:
        raise CaptureError(str(src), None, "holds no futures capture (usdm/ or cm/)")
    for capture in found:
        if market_key(capture) not in FUTURES_MARKETS:
            raise CaptureError(capture.name, None, "no contract facts for this market in the race")
    return found


def futures_view(src: Path, dst: Path) -> Path:
    """``dst`` holding symlinks to ``src``'s futures directories (``usdm/``, ``cm/``)."""
    futures_captures(src)
    dst.mkdir(parents=True, exist_ok=True)
    for directory in FUTURES_DIRS:
        if (src / directory).is_dir():
            (dst / directory).symlink_to((src / directory).resolve(), target_is_directory=True)
    return dst


def slice_capture(src: Path, dst: Path, lines: int) -> Path:
    """``dst`` holding the first ``lines`` lines of each futures file of ``src``."""
    if lines < 1:
        raise ValueError(f"lines must be at least 1, got {lines}")
    for capture in futures_captures(src):
        out = dst / capture.name
        out.parent.mkdir(parents=True, exist_ok=True)
        with gzip.open(capture.path, "rb") as reader, gzip.open(out, "wb") as writer:
            for _ in range(lines):
                line = reader.readline()
                if not line:
                    break
                writer.write(line)
    return dst
