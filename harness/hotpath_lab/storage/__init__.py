"""Run folders and ``run.json``: where runs live (``folders``), what a run holds
(``run_model``, typed and validated through ``codec``), its published schema (``schema``)
and the named figures that ratios and comparisons are made of (``figures``)."""

from __future__ import annotations

from hotpath_lab.storage.codec import decode, encode
from hotpath_lab.storage.errors import ResultsError, SkippedRunWarning
from hotpath_lab.storage.folders import (
    RUN_JSON,
    RunInfo,
    document_bytes,
    iter_runs,
    load_run,
    new_results_folder,
    new_run_id,
    parse_run,
    previous_run,
    resolve_run,
    results_root,
    run_folder,
    run_folders,
    run_json_bytes,
    write_run,
)
from hotpath_lab.storage.run_model import METRICS, RUN_SCHEMA, BuildResult, Run

__all__ = [
    "METRICS",
    "RUN_JSON",
    "RUN_SCHEMA",
    "BuildResult",
    "ResultsError",
    "Run",
    "RunInfo",
    "SkippedRunWarning",
    "decode",
    "document_bytes",
    "encode",
    "iter_runs",
    "load_run",
    "new_results_folder",
    "new_run_id",
    "parse_run",
    "previous_run",
    "resolve_run",
    "results_root",
    "run_folder",
    "run_folders",
    "run_json_bytes",
    "write_run",
]
