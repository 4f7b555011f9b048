"""Run folders under ``results/``: naming, listing, finding, reading and writing ``run.json``.

Layout (one folder per run, never modified after it is created)::

    results/<scenario>/<utc-time>-<git-sha>/
        run.json                  # a ``Run`` (storage.run_model), see docs/results.md
        <build>.hgrm  <build>.<metric>.hgrm  <build>.hlog  gc-<build>.csv
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from hotpath_lab.atomic import atomic_write_bytes, first_free_directory
from hotpath_lab.environment import REPO
from hotpath_lab.storage.codec import decode, encode
from hotpath_lab.storage.errors import ResultsError, SkippedRunWarning
from hotpath_lab.storage.run_model import EARLIER_SCHEMAS, RUN_SCHEMA, Run

RUN_JSON = "run.json"


def results_root(override: str | os.PathLike[str] | None = None) -> Path:
    if override is not None:
        return Path(override)
    return Path(os.environ.get("HOTPATH_RESULTS", REPO / "results"))


def utc_timestamp(now: float | None = None) -> str:
    """``2026-12-05T23:18:38Z``: when a result was made, as every results document says it."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now))


def new_run_id(git_short: str, now: float | None = None) -> str:
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now))
    return f"{stamp}-{git_short[:10]}"


def run_folder(root: Path, scenario: str, run_id: str) -> Path:
    return root / scenario_folder_name(scenario) / run_id


@contextlib.contextmanager
def new_results_folder(
    root: Path, scenario: str, prefix: str, git_short: str, now: float | None = None
) -> Iterator[tuple[Path, Path]]:
    """Yields ``(final, staging)`` for a new folder of an experiment's results (``prefix``:
    ``gil-``, ``readers-``, ``sweep-`` …): ``final.name`` is the document's id, unique even
    for two started in the same second (``run_folders``); the folder appears whole when
    the block completes, or not at all (``atomic.first_free_directory``)."""
    base = prefix + new_run_id(git_short, now)
    with first_free_directory(run_folders(root, scenario, base)) as pair:
        yield pair


def scenario_folder_name(scenario: str) -> str:
    """The folder under ``results/`` that holds the runs of ``scenario``."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in scenario) or "scenario"


def run_folders(root: Path, scenario: str, run_id: str) -> Iterator[Path]:
    """Where a run of ``run_id`` may go: ``run_id`` itself, then ``run_id-2``, ``-3`` … for
    runs started in the same second from the same commit. ``atomic.first_free_directory``
    takes the first free one, so no two runs share an id and none is lost at its rename."""
    yield run_folder(root, scenario, run_id)
    for n in itertools.count(2):
        yield run_folder(root, scenario, f"{run_id}-{n}")


@dataclass(frozen=True)
class RunInfo:
    path: Path
    scenario: str
    run_id: str
    created_utc: str
    builds: list[str]
    agree: bool
    run: Run


def iter_runs(
    root: Path, scenario: str | None = None, *, unreadable: list[ResultsError] | None = None
) -> Iterator[RunInfo]:
    """Every complete run under ``root`` (staging folders are skipped), oldest first.

    Folders whose ``run.json`` cannot be read (another schema version, damaged: anything
    the run model refuses) are left out, never silently: their errors are appended to
    ``unreadable`` when it is given, and otherwise each is a ``SkippedRunWarning`` naming
    the file and why, so that "the latest run" cannot quietly become an older one. With
    ``scenario``, only the damaged folders in that scenario's folder are reported (which
    scenario another one held cannot be read)."""
    if not root.is_dir():
        return
    infos = []
    for run_json in root.glob(f"*/*/{RUN_JSON}"):
        folder = run_json.parent
        if folder.name.startswith(".") or folder.parent.name == "baselines":
            continue
        try:
            run = load_run(folder)
        except ResultsError as exc:
            if scenario is not None and folder.parent.name != scenario_folder_name(scenario):
                continue  # not in that scenario's folder: another scenario's damaged run
            if unreadable is not None:
                unreadable.append(exc)
            else:
                warnings.warn(f"skipped: {exc}", SkippedRunWarning, stacklevel=2)
            continue
        if scenario is not None and run.scenario.name != scenario:
            continue
        infos.append(
            RunInfo(
                folder,
                run.scenario.name,
                run.run_id,
                run.created_utc,
                list(run.builds),
                run.agree,
                run,
            )
        )
    yield from sorted(infos, key=lambda r: (r.created_utc, r.run_id))


def load_run(ref: str | os.PathLike[str], root: Path | None = None) -> Run:
    """A run by folder path, or by run id (searched under ``root``), checked against the
    model: a missing or mistyped field raises ``ResultsError`` naming the file and field."""
    path = resolve_run(ref, root) / RUN_JSON
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise ResultsError(f"{path.parent}: no {RUN_JSON} (not a run folder)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ResultsError(f"{path}: cannot read: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise ResultsError(f"{path}: not valid JSON: {exc}") from exc
    return parse_run(data, str(path))


def parse_run(data: object, source: str) -> Run:
    """A parsed ``run.json`` document as a ``Run``; ``source`` names it in errors.

    Documents of an earlier schema this model also reads (``EARLIER_SCHEMAS``) come back
    as the current model, with the mode their runs had."""
    schema = data.get("schema") if isinstance(data, dict) else None
    if isinstance(data, dict) and schema in EARLIER_SCHEMAS:
        data = {**data, "schema": RUN_SCHEMA, "mode": EARLIER_SCHEMAS[schema]}
    elif schema != RUN_SCHEMA:
        known = ", ".join(repr(s) for s in (RUN_SCHEMA, *EARLIER_SCHEMAS))
        raise ResultsError(
            f"{source}: schema {schema!r} is not one this version of hotpath reads "
            f"({known}); read it with the hotpath version that wrote it"
        )
    run = decode(Run, data, source)
    problem = mode_problem(run)
    if problem:
        raise ResultsError(f"{source}: {problem}")
    return run


def mode_problem(run: Run) -> str | None:
    """What in ``run`` contradicts its mode (``None``: nothing): an in-process run has every
    build's timed pass, GC and memory and no wire sections; a wire run has its floors, its
    ``wire`` section and every build measured over the wire."""
    if run.mode == "wire":
        if run.wire is None or run.floors is None:
            return "mode 'wire': the sections wire and floors are required"
        for name, b in run.builds.items():
            if b.wire is None or b.driver != "wire":
                return f"mode 'wire': builds.{name} was not measured over the wire"
        return None
    if run.wire is not None or run.floors is not None:
        return "mode 'in-process': the sections wire and floors belong to wire runs"
    if not run.builds:
        return "mode 'in-process': builds: empty (a run measures at least one build)"
    for name, b in run.builds.items():
        for section in ("timed_pass", "gc", "memory"):
            if getattr(b, section) is None:
                return f"mode 'in-process': builds.{name}.{section}: missing"
        if b.wire is not None:
            return f"mode 'in-process': builds.{name}.wire belongs to wire runs"
    return None


def document_bytes(document: object) -> bytes:
    """A results document (a model instance or plain JSON values) as every results file
    stores it: sorted keys, indented."""
    return json.dumps(encode(document), indent=2, sort_keys=True).encode()


def run_json_bytes(run: Run) -> bytes:
    """The document of ``run``, as ``write_run`` stores it."""
    return document_bytes(run)


def write_run(folder: Path, run: Run) -> Path:
    """Writes ``folder/run.json`` atomically. ``run`` is a model instance, so what is
    written is what every reader accepts."""
    path = folder / RUN_JSON
    atomic_write_bytes(path, run_json_bytes(run))
    return path


def resolve_run(ref: str | os.PathLike[str], root: Path | None = None) -> Path:
    """A run folder from its path, or from its run id (a unique prefix) under ``root``."""
    p = Path(ref)
    if (p / RUN_JSON).is_file():
        return p
    root = results_root(root)
    matches = sorted(root.glob(f"*/{ref}*")) if isinstance(ref, str) and ref else []
    matches = [m for m in matches if (m / RUN_JSON).is_file()]
    exact = [m for m in matches if m.name == ref]
    if len(matches) == 1 or len(exact) == 1:  # an id is never ambiguous with its -2 sibling
        return (exact or matches)[0]
    if not matches:
        if p.is_dir():
            raise ResultsError(f"{p}: no {RUN_JSON} (not a run folder)")
        raise ResultsError(f"no run folder or run id matching {str(ref)!r} under {root}")
    names = ", ".join(m.name for m in matches[:5])
    raise ResultsError(f"{str(ref)!r} matches several runs: {names}")


def previous_run(root: Path, scenario: str, before: str) -> RunInfo | None:
    """The latest complete run of ``scenario`` created before ``before`` (a run id)."""
    earlier = [r for r in iter_runs(root, scenario) if r.run_id < before]
    return earlier[-1] if earlier else None
