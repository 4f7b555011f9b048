"""Run against run: changes per figure, and what makes two runs not comparable."""

import copy
from pathlib import Path

from hotpath_lab.reporting.compare import comparable, compare_runs, previous_folder
from hotpath_lab.storage import load_run


def test_comparing_a_run_with_itself_changes_nothing(sample_run: Path) -> None:
    df = compare_runs(sample_run, sample_run)
    assert set(df["build"]) == {"python", "rust-ffi", "rust-native"}
    assert (df["previous"] == df["current"]).all()
    assert df["change"].fillna(0).eq(0).all()
    assert "e2e p99" in set(df["figure"])


def test_differences_that_make_runs_not_like_for_like_are_named(sample_run: Path) -> None:
    run = load_run(sample_run)
    assert comparable(run, run) == []
    other = copy.deepcopy(run)
    other["environment"]["hostname"] = "another-box"
    other["options"]["pace"] = "max"
    other["scenario"]["sha256"] = "0" * 64
    reasons = comparable(other, run)
    assert any("machine differs" in r for r in reasons)
    assert any("--pace differs" in r for r in reasons)
    assert any("scenario file differs" in r for r in reasons)


def test_a_moved_noise_floor_is_named_and_a_quiet_one_is_not(sample_run: Path) -> None:
    run = load_run(sample_run)
    for r in run["builds"].values():
        r["jitter"]["stolen_share"] = 0.006
    noisy, quiet_a, quiet_b = copy.deepcopy(run), copy.deepcopy(run), copy.deepcopy(run)
    noisy["builds"]["rust-native"]["jitter"]["stolen_share"] = 0.014
    reasons = comparable(noisy, run)
    assert len(reasons) == 1
    assert "noise floor moved for rust-native (0.60% → 1.40%" in reasons[0]
    assert comparable(run, noisy) != [], "either direction"
    for q, share in ((quiet_a, 0.0005), (quiet_b, 0.0015)):
        for r in q["builds"].values():
            r["jitter"]["stolen_share"] = share
    assert comparable(quiet_b, quiet_a) == [], "both below 0.2 %: nothing to say"


def test_the_first_run_of_a_scenario_has_no_previous(sample_run: Path) -> None:
    assert previous_folder(sample_run) is None
