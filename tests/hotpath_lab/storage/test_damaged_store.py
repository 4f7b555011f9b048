"""One damaged ``run.json`` never breaks the store: listings skip it and say so (naming the
folder), and a command that names it says why it cannot be read."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

from hotpath_lab.reporting import loader
from hotpath_lab.storage import ResultsError, SkippedRunWarning, iter_runs, load_run, previous_run


def _without(key: str) -> Callable[[dict], dict]:  # type: ignore[type-arg]
    def damage(doc: dict) -> dict:  # type: ignore[type-arg]
        for build in doc["builds"].values():
            del build[key]
        return doc

    return damage


DAMAGES: dict[str, Callable[[bytes], bytes]] = {
    "a-list": lambda raw: b"[]",
    "missing-keys": lambda raw: b'{"schema": "hotpath.run/3"}',
    "invalid-utf8": lambda raw: b"\xff\xfe" + raw,
    "truncated": lambda raw: raw[: len(raw) // 2],
    "no-latencies": lambda raw: json.dumps(_without("latency_ns")(json.loads(raw))).encode(),
    "no-builds": lambda raw: json.dumps({**json.loads(raw), "builds": {}, "digests": {}}).encode(),
}


@pytest.fixture
def store(sample_run: Path, tmp_path: Path) -> tuple[Path, Path, dict[str, Path]]:
    """A store of one good run and, beside it, one damaged copy per kind of damage."""
    root = tmp_path / "results"
    good = root / "sample" / sample_run.name
    shutil.copytree(sample_run, good)
    raw = (sample_run / "run.json").read_bytes()
    damaged = {}
    for name, damage in DAMAGES.items():
        folder = root / "sample" / f"29991231T235959Z-{name}"
        shutil.copytree(sample_run, folder)
        (folder / "run.json").write_bytes(damage(raw))
        damaged[name] = folder
    return root, good, damaged


def test_every_damage_is_refused_by_the_model(store: tuple[Path, Path, dict[str, Path]]) -> None:
    _, _, damaged = store
    for name, folder in damaged.items():
        with pytest.raises(ResultsError, match=str(folder)):
            load_run(folder)
        assert name  # each kind on its own line of the failure report


def test_listings_skip_each_damaged_run_with_a_warning_naming_it(
    store: tuple[Path, Path, dict[str, Path]],
) -> None:
    root, good, damaged = store
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = loader.load_runs(root)
        latest = loader.latest_run(root)
    assert set(frame["path"]) == {str(good)}
    assert latest == good
    said = [str(w.message) for w in caught if issubclass(w.category, SkippedRunWarning)]
    for folder in damaged.values():
        assert sum(str(folder) in m for m in said) == 2, folder  # once per listing


def test_the_previous_run_never_silently_becomes_an_older_one(
    store: tuple[Path, Path, dict[str, Path]],
) -> None:
    root, good, damaged = store
    run = load_run(good)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        found = previous_run(root, run.scenario.name, "99999999")
    assert found is not None and found.path == good
    said = " ".join(str(w.message) for w in caught if w.category is SkippedRunWarning)
    assert all(str(folder) in said for folder in damaged.values())
    unreadable: list[ResultsError] = []
    assert [r.path for r in iter_runs(root, unreadable=unreadable)] == [good]
    assert len(unreadable) == len(damaged)


def hotpath(*args: str) -> subprocess.CompletedProcess[str]:
    exe = str(Path(sys.executable).with_name("hotpath"))
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=120)


def test_results_commands_on_a_damaged_store(store: tuple[Path, Path, dict[str, Path]]) -> None:
    root, good, damaged = store
    listed = hotpath("results", "--results-dir", str(root), "list")
    assert listed.returncode == 0, listed.stderr
    assert good.name in listed.stdout
    for folder in damaged.values():
        assert f"skipped: {folder}" in listed.stderr
    assert "Traceback" not in listed.stderr
    for name in ("no-latencies", "invalid-utf8", "no-builds"):
        compared = hotpath(
            "results", "--results-dir", str(root), "compare", str(damaged[name]), str(good)
        )
        assert compared.returncode == 3
        assert compared.stderr.startswith(f"error: {damaged[name]}"), compared.stderr
        assert "Traceback" not in compared.stderr
    shown = hotpath("results", "--results-dir", str(root), "show", good.name)
    assert shown.returncode == 0, shown.stderr
