"""Damaged inputs through the CLI, as a new user would hand them over: every one is either
read (exit 0) or refused as bad input (exit 3, naming the file) — never a traceback (1),
never a build crash (4). Scenario and metadata damages go through ``shadow`` so a file the
reader accepts must also give the Python and Rust builds the same reports. The larger
sweep and its counts: ``python -m tests.reliability.damages``."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from tests.reliability.damages import Damage, all_damages, cli_args, metadata_variants

from hotpath_format import MetadataError, ScenarioMeta
from hotpath_lab.cli import main

DAMAGES = all_damages(per_decoder=25)


def exit_code(args: list[str]) -> int:
    try:
        return main(args)
    except SystemExit as exc:
        return int(exc.code or 0)


@pytest.mark.parametrize("damage", DAMAGES, ids=[f"{d.decoder}-{d.name}" for d in DAMAGES])
def test_a_damaged_input_is_read_or_refused_as_bad_input(
    damage: Damage, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if damage.decoder != "binance":
        pytest.importorskip("hotpath_rs")
    target = damage.write(tmp_path)
    code = exit_code(cli_args(damage, target, tmp_path))
    err = capsys.readouterr().err
    assert code in (0, 3), err
    if code == 3:
        assert "btcusdt_20240808.gz" in err or str(target) in err, err


def test_both_metadata_readers_accept_and_refuse_the_same_json() -> None:
    hotpath_rs = pytest.importorskip("hotpath_rs")
    outcomes: dict[tuple[bool, bool], int] = {}
    for name, raw in metadata_variants(random.Random(7), 400):
        try:
            ScenarioMeta.from_json(raw)
            python = True
        except MetadataError:
            python = False
        try:
            text = raw.decode()  # the Rust file reader refuses what is not UTF-8 too
        except UnicodeDecodeError:
            assert not python, name
            continue
        try:
            hotpath_rs.Engine(text)
            rust = True
        except hotpath_rs.MetadataError:
            rust = False
        assert python == rust, name
        outcomes[(python, rust)] = outcomes.get((python, rust), 0) + 1
    assert outcomes.get((True, True), 0) > 10 and outcomes.get((False, False), 0) > 100
