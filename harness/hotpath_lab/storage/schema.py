"""The published JSON Schema of ``run.json``, generated from the model.

``docs/run.schema.json`` is this function's output, committed; a test regenerates it and
compares, and ``hotpath results schema`` rewrites it after a change to ``run_model``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hotpath_lab.environment import REPO
from hotpath_lab.storage.codec import json_schema
from hotpath_lab.storage.run_model import RUN_SCHEMA, Run

SCHEMA_FILE = REPO / "docs" / "run.schema.json"


def run_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a ``run.json`` of schema ``RUN_SCHEMA``."""
    return json_schema(
        Run,
        title=f"hotpath run.json ({RUN_SCHEMA})",
        description=(
            "One `hotpath bench` run: results/<scenario>/<run id>/run.json. Generated from "
            "hotpath_lab.storage.run_model (`hotpath results schema`); field meanings in "
            "docs/results.md. Latencies are integers in ns."
        ),
    )


def run_schema_text() -> str:
    return json.dumps(run_schema(), indent=2, ensure_ascii=False) + "\n"


def write_run_schema(path: Path = SCHEMA_FILE) -> Path:
    path.write_text(run_schema_text())
    return path
