"""A peer for the harness's tests that needs no other project: our Python engine, declared
not shadow-equal, whose "own" report stream leaves out every REJECT (as a peer's outcomes
differ from our contract's). It lets the suite check, without NautilusTrader, that the
harness keeps a peer out of the digest check and records its peer section."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from hotpath_format import ReportKind, ScenarioMeta
from hotpath_lab.drivers.builds import PythonPipeline


class TranslatedPipeline:
    asynchronous = True

    def __init__(self, meta: ScenarioMeta, n_events: int, stage_timing: bool) -> None:
        self._inner = PythonPipeline(meta, n_events, stage_timing)
        self.handle: Callable[..., Any] = self._inner.handle

    def report_array(self) -> np.ndarray:
        reports = self._inner.report_array()
        own = reports[reports["kind"] != ReportKind.REJECT].copy()
        own["seq"] = np.arange(1, len(own) + 1)
        return own

    def stage_times(self) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        return self._inner.stage_times()


class TranslatedPeer:
    name = "translated-peer"
    description = "our Python engine with its rejects left out, as a peer (tests only)"
    shadow_equal = False
    peer_package = "hotpath-asyncio"

    def create(
        self, meta: ScenarioMeta, n_events: int, *, stage_timing: bool, expected_orders: int = 0
    ) -> TranslatedPipeline:
        return TranslatedPipeline(meta, n_events, stage_timing)
