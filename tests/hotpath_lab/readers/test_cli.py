"""``hotpath readers`` writes a complete run folder; bad options exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hotpath_format import EventFile
from hotpath_lab.cli import main
from hotpath_lab.readers.experiment import plan
from hotpath_lab.readers.results import READERS_JSON, READERS_MD, TABLE_COLUMNS, load_readers_run


def test_writes_a_complete_run_folder(
    smoke: EventFile, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["readers", "--scenario", str(smoke.path), "--readers", "1,2", "--results-dir",
         str(tmp_path)]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0, out
    (folder,) = (tmp_path / "smoke").iterdir()
    assert folder.name.startswith("readers-")
    assert sorted(p.name for p in folder.iterdir()) == [READERS_JSON, READERS_MD]
    run = load_readers_run(folder)
    assert run.agree and run.protocol_held and run.scenario.name == "smoke"
    assert run.environment.git.short and run.environment.build_profile == "release"
    assert run.settings.readers == (1, 2) and run.settings.boards == ("epoch", "mutex")
    assert [(p.board, p.readers) for p in run.points] == plan(("epoch", "mutex"), (1, 2))
    assert [(p.board, p.readers) for p in run.points][:3] == [
        ("none", 0),
        ("epoch", 0),
        ("epoch", 1),
    ]
    n = len(smoke.records)
    for p in run.points:
        assert p.digest_agrees and p.events == n and p.engine_ns.count == n
        assert len(p.reader_results) == p.readers
        for r in p.reader_results:
            assert r.reads > 0 and r.reads_per_s > 0 and r.read_latency_ns.count == r.reads
            assert r.seq_regressions == 0 and r.stale_reads <= r.stale_measured <= r.reads
            assert r.stale_ns.count == r.stale_reads
        if p.board == "none":
            assert p.publications == 0 and p.memory.peak_bytes == 0
    epoch = [p for p in run.points if p.board == "epoch"]
    mutex = [p for p in run.points if p.board == "mutex"]
    assert len({p.publications for p in epoch + mutex}) == 1, "the same changes on every board"
    for p in epoch:
        assert p.memory.allocated == p.publications > 0
        assert (
            p.memory.peak_bytes
            == p.memory.fixed_bytes + p.memory.peak_live * p.memory.snapshot_bytes
        )
    for p in mutex:
        assert p.memory.allocated == 0 and p.memory.peak_bytes == p.memory.fixed_bytes > 0
    table = (folder / READERS_MD).read_text().splitlines()
    rows = [line for line in table if line.startswith("| ")]
    assert len(rows) == 1 + len(run.points)
    assert {row.count("|") for row in rows} == {len(TABLE_COLUMNS) + 1}
    assert json.loads((folder / READERS_JSON).read_text())["schema"] == 1
    assert "digests agree" in out and str(folder) in out


@pytest.mark.parametrize(
    "bad",
    [
        ["--readers", "-1"],
        ["--readers", "one"],
        ["--boards", "epoch,rwlock"],
        ["--boards", ","],
        ["--pace", "sometimes"],
        ["--scale", "-1"],
    ],
)
def test_bad_options_exit_2(
    bad: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        code = main(["readers", "--scenario", "smoke", "--results-dir", str(tmp_path), *bad])
    except SystemExit as exc:
        code = int(str(exc.code))
    assert code == 2
    assert "error" in capsys.readouterr().err
    assert not any(tmp_path.iterdir()), "a refused run writes nothing"


def test_a_missing_scenario_exits_3(tmp_path: Path) -> None:
    assert main(["readers", "--scenario", str(tmp_path / "none.hpe")]) == 3
