"""A deliberately wrong build (drops every FILL) that shadow comparison must catch."""

from __future__ import annotations

from typing import Any

import numpy as np

from hotpath_format import ReportKind, ScenarioMeta
from hotpath_lab.drivers.builds import PythonPipeline
from hotpath_lab.drivers.plugin import Pipeline


class _DropsFills(PythonPipeline):
    def report_array(self) -> np.ndarray:
        r = super().report_array()
        kept = r[r["kind"] != ReportKind.FILL].copy()
        kept["seq"] = np.arange(1, len(kept) + 1)
        return kept


class DropsFills:
    name = "drops-fills"
    description = "the Python build with its FILL reports removed"

    def create(
        self, meta: ScenarioMeta, n_events: int, *, stage_timing: bool, expected_orders: int = 0
    ) -> Pipeline:
        return _DropsFills(meta, n_events, stage_timing)


def build() -> Any:
    return DropsFills()
