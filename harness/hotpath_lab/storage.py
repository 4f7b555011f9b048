"""Run folders under ``results/``: naming, atomic creation, listing and loading.

Layout (one folder per run, never modified after it is created)::

    results/<scenario>/<utc-time>-<git-sha>/
        run.json                  # schema RUN_SCHEMA, see docs/results.md
        <build>.hgrm  <build>.<metric>.hgrm  <build>.hlog  gc-<build>.csv
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hotpath_lab.environment import REPO

RUN_SCHEMA = "hotpath.run/1"


class ResultsError(ValueError):
    """A run folder or run.json that cannot be used."""


def results_root(override: str | os.PathLike[str] | None = None) -> Path:
    if override is not None:
        return Path(override)
    return Path(os.environ.get("HOTPATH_RESULTS", REPO / "results"))


def new_run_id(git_short: str, now: float | None = None) -> str:
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now))
    return f"{stamp}-{git_short[:10]}"


def run_folder(root: Path, scenario: str, run_id: str) -> Path:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in scenario) or "scenario"
    return root / safe / run_id


@dataclass(frozen=True)
class RunInfo:
    path: Path
    scenario: str
    run_id: str
    created_utc: str
    builds: list[str]
    agree: bool | None


def iter_runs(root: Path, scenario: str | None = None) -> Iterator[RunInfo]:
    """Every complete run under ``root`` (staging folders are skipped), oldest first."""
    if not root.is_dir():
        return
    infos = []
    for run_json in root.glob("*/*/run.json"):
        folder = run_json.parent
        if folder.name.startswith(".") or folder.parent.name == "baselines":
            continue
        try:
            data = load_run(folder)
        except ResultsError:
            continue
        name = data["scenario"]["name"]
        if scenario is not None and name != scenario:
            continue
        infos.append(
            RunInfo(
                folder,
                name,
                data["run_id"],
                data["created_utc"],
                list(data["builds"]),
                data.get("agree"),
            )
        )
    yield from sorted(infos, key=lambda r: (r.created_utc, r.run_id))


def load_run(ref: str | os.PathLike[str], root: Path | None = None) -> dict[str, Any]:
    """A run's ``run.json`` by folder path, or by run id (searched under ``root``)."""
    folder = resolve_run(ref, root)
    path = folder / "run.json"
    try:
        data: dict[str, Any] = json.loads(path.read_text())
    except FileNotFoundError:
        raise ResultsError(f"{folder}: no run.json (not a run folder)") from None
    except json.JSONDecodeError as exc:
        raise ResultsError(f"{path}: not valid JSON: {exc}") from exc
    if data.get("schema") != RUN_SCHEMA:
        raise ResultsError(f"{path}: schema {data.get('schema')!r}, expected {RUN_SCHEMA!r}")
    data["_path"] = str(folder)
    return data


def resolve_run(ref: str | os.PathLike[str], root: Path | None = None) -> Path:
    p = Path(ref)
    if (p / "run.json").is_file():
        return p
    root = results_root(root)
    matches = sorted(root.glob(f"*/{ref}*")) if isinstance(ref, str) and ref else []
    matches = [m for m in matches if (m / "run.json").is_file()]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise ResultsError(f"no run folder or run id matching {str(ref)!r} under {root}")
    names = ", ".join(m.name for m in matches[:5])
    raise ResultsError(f"{str(ref)!r} matches several runs: {names}")


def figure_at(result: dict[str, Any], path: tuple[str, ...]) -> float | None:
    """The number at ``path`` inside a ``run.json`` mapping, or None when it is absent (an
    older run, a skipped pass) or not a number."""
    cur: Any = result
    for k in path:
        if not isinstance(cur, dict) or k not in cur:
            return None
        cur = cur[k]
    return float(cur) if isinstance(cur, int | float) else None


def previous_run(root: Path, scenario: str, before: str) -> RunInfo | None:
    """The latest complete run of ``scenario`` created before ``before`` (a run id)."""
    earlier = [r for r in iter_runs(root, scenario) if r.run_id < before]
    return earlier[-1] if earlier else None
