"""Importing recorded Binance WebSocket captures as a market-data scenario.

``import_binance(dir)`` rebuilds the spot, USDⓈ-M and COIN-M books of BTC and ETH from
diff-depth streams synchronised with their REST snapshots, adds the trades, and returns
``EVENT_DTYPE`` records with schema-1 metadata. Rules and counters: ``docs/binance-import.md``.
"""

from hotpath_lab.scenarios.binance.capture import CaptureError
from hotpath_lab.scenarios.binance.importer import ImportResult, import_binance
from hotpath_lab.scenarios.binance.scenario import (
    BinanceScenario,
    UnsyncedBooksError,
    import_binance_scenario,
)
from hotpath_lab.scenarios.binance.stats import FileStats, ImportStats

__all__ = [
    "BinanceScenario",
    "CaptureError",
    "FileStats",
    "ImportResult",
    "ImportStats",
    "UnsyncedBooksError",
    "import_binance",
    "import_binance_scenario",
]
