"""Run against run: verdicts with intervals, changes per figure, and what makes two runs not
comparable."""

import dataclasses
from pathlib import Path

import numpy as np

from hotpath_lab.reporting.compare import (
    HIGHER,
    LOWER,
    UNCLEAR,
    comparable,
    compare_runs,
    previous_folder,
    quantile_label,
    verdict_cells,
    verdicts,
    verdicts_of,
)
from hotpath_lab.reporting.hlog import IntervalCounts
from hotpath_lab.storage import Run, load_run


def test_comparing_a_run_with_itself_changes_nothing(sample_run: Path) -> None:
    df = compare_runs(sample_run, sample_run)
    assert set(df["build"]) == {"python", "rust-ffi", "rust-native"}
    assert (df["previous"] == df["current"]).all()
    assert df["change"].fillna(0).eq(0).all()
    assert "e2e p99" in set(df["figure"])


def test_a_run_against_itself_gets_no_verdict_but_intervals_around_zero(sample_run: Path) -> None:
    found = verdicts(sample_run, sample_run, replicates=200)
    run = load_run(sample_run)
    keys = {(v.build, v.metric, quantile_label(v.quantile)) for v in found}
    assert keys == {
        (b, m, q) for b in run.builds for m in ("e2e", "service") for q in ("P50", "P99", "P99.9")
    }
    for v in found:
        assert v.verdict == UNCLEAR, v
        assert v.ci.change == 0.0 and v.ci.low <= 0.0 <= v.ci.high
        summary = run.build(v.build).latency_ns.of(v.metric)
        exact = {0.5: summary.p50, 0.99: summary.p99, 0.999: summary.p999}[v.quantile]
        assert v.ci.baseline.estimate == v.ci.candidate.estimate == exact, "run.json's own figure"
    cells = verdict_cells(found[0])
    assert cells[:3] == ("python", "e2e", "P50") and cells[5].startswith("+0.0% [")


def shifted(ic: IntervalCounts, factor: float) -> IntervalCounts:
    return IntervalCounts(ic.metric, ic.start_s, ic.length_s, ic.values * factor, ic.counts)


def long_run(seed: int = 1) -> IntervalCounts:
    """30 one-second intervals of log-normal latencies around 10 µs."""
    rng = np.random.default_rng(seed)
    values = np.unique(np.geomspace(1_000, 1_000_000, 300).astype(np.int64))
    counts = np.zeros((30, len(values)), dtype=np.int64)
    for i in range(30):
        idx = np.clip(np.searchsorted(values, rng.lognormal(np.log(1e4), 0.5, 3_000)), 0, 299)
        np.add.at(counts[i], idx, 1)
    return IntervalCounts("e2e", np.arange(30.0), np.ones(30), values, counts)


def test_a_real_shift_is_called_higher_or_lower_and_noise_is_not() -> None:
    base = long_run()
    for factor, expected in ((1.3, HIGHER), (1 / 1.3, LOWER), (1.0, UNCLEAR)):
        after = {"x": {"e2e": shifted(long_run(seed=2), factor)}}
        found = verdicts_of(after, {"x": {"e2e": base}}, metrics=("e2e",), replicates=300)
        assert [v.verdict for v in found] == [expected] * 3, factor
        if expected != UNCLEAR:
            assert all(abs(v.ci.change - (factor - 1)) < 0.1 for v in found)


def test_differences_that_make_runs_not_like_for_like_are_named(sample_run: Path) -> None:
    run = load_run(sample_run)
    assert comparable(run, run) == []
    other = dataclasses.replace(
        run,
        environment=dataclasses.replace(run.environment, hostname="another-box", canary="tail"),
        options=dataclasses.replace(run.options, pace="max"),
        scenario=dataclasses.replace(run.scenario, sha256="0" * 64),
    )
    reasons = comparable(other, run)
    assert any("machine differs" in r for r in reasons)
    assert any("--pace differs" in r for r in reasons)
    assert any("scenario file differs" in r for r in reasons)
    assert any("canary (HOTPATH_CANARY) differs (off → tail)" in r for r in reasons), reasons


def with_noise(run: Run, shares: dict[str, float]) -> Run:
    builds = {}
    for name, r in run.builds.items():
        assert r.jitter is not None
        jitter = dataclasses.replace(r.jitter, stolen_share=shares.get(name, shares["*"]))
        builds[name] = dataclasses.replace(r, jitter=jitter)
    return dataclasses.replace(run, builds=builds)


def test_a_moved_noise_floor_is_named_and_a_quiet_one_is_not(sample_run: Path) -> None:
    run = with_noise(load_run(sample_run), {"*": 0.006})
    noisy = with_noise(run, {"*": 0.006, "rust-native": 0.014})
    reasons = comparable(noisy, run)
    assert len(reasons) == 1
    assert "noise floor moved for rust-native (0.60% → 1.40%" in reasons[0]
    assert comparable(run, noisy) != [], "either direction"
    quiet_a, quiet_b = with_noise(run, {"*": 0.0005}), with_noise(run, {"*": 0.0015})
    assert comparable(quiet_b, quiet_a) == [], "both below 0.2 %: nothing to say"


def test_the_first_run_of_a_scenario_has_no_previous(sample_run: Path) -> None:
    assert previous_folder(sample_run) is None
