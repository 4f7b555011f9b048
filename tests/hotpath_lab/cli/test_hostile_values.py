"""Values a new user might type: each is refused before any work, with one line saying why,
under the exit code of its kind (2 usage, 3 bad input)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from tests.one_instrument import META, scenario_at

from hotpath_format import EVENT_DTYPE
from hotpath_lab.cli import main
from hotpath_lab.drivers.plugin import BuildSpecError
from hotpath_lab.pacing import MAX_RATE, Pace, PaceError
from hotpath_lab.wire.targets import parse_targets


def scenario(tmp_path: Path, ts: list[int], meta: dict[str, object] = META) -> Path:
    return scenario_at(tmp_path / "s.hpe", ts, meta)


def exit_code(args: list[str]) -> int:
    """``main``'s exit code, argparse's (2 on a usage error) included."""
    try:
        return main(args)
    except SystemExit as exc:
        return int(exc.code or 0)


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--scale", "inf"], "argument --scale: scale must be a number in (0, 100]"),
        (["--scale", "nan"], "argument --scale"),
        (["--scale", "0"], "argument --scale"),
        (["--scale", "1e9"], "argument --scale"),
        (["--seed", "-1"], "argument --seed: seed must be an integer in [0, 2**64), got -1"),
        (["--seed", str(2**64)], "argument --seed: seed must be an integer in [0, 2**64)"),
        (["--seed", "1.5"], "argument --seed: '1.5' is not an integer"),
    ],
)
def test_scale_and_seed_outside_the_generators_rules_are_usage_errors(
    option: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert exit_code(["run", "--scenario", "smoke", "--build", "python", *option]) == 2
    assert message in capsys.readouterr().err


def test_import_seed_follows_the_same_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["scenario", "import", "binance", str(tmp_path), "--out", str(tmp_path / "o.hpe")]
    assert exit_code([*args, "--seed", "-1"]) == 2
    assert "argument --seed" in capsys.readouterr().err


def test_shadow_refuses_a_build_listed_twice(capsys: pytest.CaptureFixture[str]) -> None:
    assert exit_code(["shadow", "--scenario", "smoke", "--builds", "python,python"]) == 2
    assert "'python' listed twice" in capsys.readouterr().err


@pytest.mark.parametrize("spec", ["wire-python,wire-python", "wire-rust, wire-rust,zmq-floor"])
def test_a_wire_target_listed_twice_is_refused_not_dropped(spec: str) -> None:
    with pytest.raises(BuildSpecError, match="listed twice"):
        parse_targets(spec, allow_floors=True)


@pytest.mark.parametrize("spec", ["rate:1e300", "rate:1.000001e9", "rate:inf"])
def test_a_rate_faster_than_one_event_per_ns_is_refused(spec: str) -> None:
    with pytest.raises(PaceError, match="invalid pace"):
        Pace.parse(spec)
    assert Pace.parse(f"rate:{MAX_RATE}").per_sec == MAX_RATE


def test_a_schedule_that_overflows_or_collapses_is_refused() -> None:
    ts = np.array([0, 10**9, 2 * 10**9], dtype=np.uint64)
    Pace.parse("recorded", 1e-9).check_schedule(ts)  # 63 years: long, but it can be kept
    with pytest.raises(PaceError, match="more than a schedule can hold"):
        Pace.parse("recorded", 1e-300).check_schedule(ts)
    with pytest.raises(PaceError, match="every event would be due at the start"):
        Pace.parse("recorded", 1e300).check_schedule(ts)
    with pytest.raises(PaceError, match="more than a schedule can hold"):
        Pace.parse("rate:1e-300").check_schedule(ts)
    with pytest.raises(PaceError, match="more than a schedule can hold"):
        Pace.parse("recorded").check_schedule(np.array([0, 2**64 - 1], dtype=np.uint64))
    same_time = np.zeros(3, dtype=np.uint64)
    Pace.parse("recorded", 1e300).check_schedule(same_time)  # nothing to spread
    Pace.parse("max").check_schedule(np.array([0, 2**64 - 1], dtype=np.uint64))


@pytest.mark.parametrize(
    ("pace", "message"),
    [
        (["--speed", "1e-300"], "more than a schedule can hold"),
        (["--speed", "1e300"], "every event would be due at the start"),
        (["--pace", "rate:1e300"], "at most 1e+09 events/s"),
        (["--pace", "rate:1e-300"], "more than a schedule can hold"),
    ],
)
def test_bench_refuses_what_cannot_be_paced_before_any_work(
    tmp_path: Path, pace: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = scenario(tmp_path, [0, 10**6, 2 * 10**6])
    results = tmp_path / "results"
    args = ["bench", "--scenario", str(path), "--builds", "python", "--results-dir", str(results)]
    assert exit_code([*args, *pace]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1, err
    assert not results.exists() or not any(results.rglob("*")), "no work, no run folder"


def test_a_fifo_given_as_a_scenario_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "scenario.hpe"
    os.mkfifo(fifo)
    cli = "import sys; from hotpath_lab.cli import main; sys.exit(main())"
    cmd = [sys.executable, "-c", cli, "run", "--scenario", str(fifo)]
    done = subprocess.run(
        [*cmd, "--build", "python"], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 3, done.stderr
    assert f"{fifo}: is a FIFO, not a regular file" in done.stderr


@pytest.mark.parametrize("kind", ["fifo", "directory"])
def test_a_non_regular_manifest_path_is_bad_input(
    tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "m.toml"
    os.mkfifo(path) if kind == "fifo" else path.mkdir()
    assert exit_code(["scenario", "inspect", str(path)]) == 3
    assert "not a regular file" in capsys.readouterr().err


def test_metadata_integer_beyond_i64_is_bad_input_naming_file_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    meta = {**META, "instruments": [{**META["instruments"][0], "tick_size": 2**70}]}  # type: ignore[dict-item]
    path = tmp_path / "big.hpe"
    r = np.zeros(1, EVENT_DTYPE)
    r["kind"] = 1
    from hotpath_format.files import EVENT_MAGIC, encode_file
    from hotpath_format.meta import canonical_json

    path.write_bytes(b"".join(bytes(c) for c in encode_file(EVENT_MAGIC, canonical_json(meta), r)))
    for build in ("python", "rust-ffi"):
        assert exit_code(["run", "--scenario", str(path), "--build", build]) == 3
        err = capsys.readouterr().err
        assert str(path) in err and "instruments[0].tick_size" in err, err
