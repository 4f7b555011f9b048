"""The sustained-rate rule of ``hotpath sweep`` on real generator files: an overloaded
step fails on rate and backlog, the P99 criterion is relative to the low-load P99, the
backlog needs both its factor and its margin, and a real sweep judged every step by the
rule and stopped where it says."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np

from hotpath_lab.cli import main
from hotpath_lab.reporting.hlog import IntervalCounts, quantiles, read_interval_log
from hotpath_lab.storage import decode
from hotpath_lab.storage.sweep_model import SustainRule, Sweep
from hotpath_lab.storage.wire_model import Trend
from hotpath_lab.wire.loadgen_report import LoadgenReport, read_loadgen_report
from hotpath_lab.wire.session import Measurement
from hotpath_lab.wire.sustain import (
    MIN_INTERVAL_ORDERS,
    MIN_INTERVALS,
    StepFigures,
    backlog_grows,
    interval_ns,
    judge,
    low_load_p99,
    sustained_max,
    typical_p99,
)

RULE = SustainRule()


def figures(r: LoadgenReport) -> StepFigures:
    return StepFigures(
        offered_per_s=r.offered_per_s,
        achieved_per_s=r.achieved_per_s,
        p99_ns=r.latency_ns.e2e.p99,
        trend=r.trend,
        errors=r.errors,
        failure=None,
    )


def test_an_overloaded_step_fails_on_rate_and_backlog(overload: Measurement) -> None:
    r = overload.output.report
    assert r.offered_per_s is not None and r.achieved_per_s < 0.5 * r.offered_per_s
    assert r.batch_max == 1, "one event per frame: the generator queued the rest"
    reasons = judge(figures(r), None, RULE)
    assert any(x.startswith("achieved ") and "< 95% of offered" in x for x in reasons), reasons
    assert any(x.startswith("backlog grows") for x in reasons), reasons
    assert r.digest is not None, "overloaded, yet every report arrived (no silent loss)"


def test_the_p99_criterion_is_relative_to_the_low_load_p99(wire_sweep: Path) -> None:
    step = read_loadgen_report(wire_sweep / "wire-rust" / "rate-10000.wire.json")
    p99 = step.latency_ns.e2e.p99
    f = figures(step)
    loose = judge(f, p99, RULE)
    assert not any("P99" in x for x in loose)
    tight = judge(f, int(p99 / (RULE.p99_factor * 1.1)), RULE)
    assert any(x.startswith("typical P99 ") and "× the low-load" in x for x in tight), tight
    assert judge(f, None, RULE) == judge(f, 0, RULE), "no baseline: P99 not judged"


def test_a_backlog_grows_only_beyond_both_its_factor_and_its_margin(wire_sweep: Path) -> None:
    trend = read_loadgen_report(wire_sweep / "zmq-echo" / "rate-2000.wire.json").trend
    first = trend.e2e_p50_first_ns
    doubled = Trend(e2e_p50_first_ns=first, e2e_p50_last_ns=3 * first)
    assert backlog_grows(doubled, replace(RULE, backlog_margin_ns=first))
    assert not backlog_grows(doubled, replace(RULE, backlog_margin_ns=3 * first)), "margin"
    assert not backlog_grows(doubled, replace(RULE, backlog_factor=3.5, backlog_margin_ns=0))


def test_a_step_that_failed_is_never_sustained() -> None:
    f = StepFigures(None, None, None, None, {}, "hotpath-loadgen exited 4")
    assert judge(f, 1000, RULE) == ("failed: hotpath-loadgen exited 4",)
    errors = StepFigures(1000.0, 1000.0, 10, None, {"BAD_SIZE": 2}, None)
    assert judge(errors, 10, RULE) == ("ERROR frames (BAD_SIZE 2)",)


def test_low_load_is_the_lowest_p99_below_and_the_knee_the_highest_sustained() -> None:
    assert low_load_p99([]) is None
    assert low_load_p99([900, None, 300, 0]) == 300
    assert sustained_max([(1e4, True), (3e4, False), (1e5, True), (2e5, False)]) == 1e5
    assert sustained_max([(1e4, False)]) is None


def test_the_sweep_judged_every_step_by_the_rule(wire_sweep: Path) -> None:
    data = json.loads((wire_sweep / "sweep.json").read_text())
    sweep = decode(Sweep, data, "sweep.json")
    assert list(sweep.targets) == ["wire-rust", "zmq-echo"]
    for name, target in sweep.targets.items():
        rates = [s.rate_per_s for s in target.steps]
        assert rates == [2000.0, 5000.0, 10000.0][: len(rates)]
        for i, step in enumerate(target.steps):
            report = read_loadgen_report(wire_sweep / step.folder / f"{step.label}.wire.json")
            assert report.pace == f"rate:{step.rate_per_s:g}" and report.target == (
                "gateway" if name == "wire-rust" else name
            )
            log = read_interval_log(wire_sweep / step.folder / f"{step.label}.hlog")
            assert step.typical_p99_ns == typical_p99(log.get("e2e"), report.latency_ns.e2e)
            judged = replace(figures(report), p99_ns=step.typical_p99_ns)
            baseline = low_load_p99([s.typical_p99_ns for s in target.steps[:i]])
            assert step.reasons == judge(judged, baseline, sweep.rule)
            assert step.sustained == (not step.reasons)
            for suffix in (".hlog", ".hgrm", ".service.hgrm", ".tick_to_book.hgrm"):
                assert (wire_sweep / step.folder / f"{step.label}{suffix}").is_file()
        assert target.sustained_max_per_s == sustained_max(
            [(s.rate_per_s, s.sustained) for s in target.steps]
        )
    assert all(s.digest for s in sweep.targets["wire-rust"].steps)
    assert all(s.digest is None for s in sweep.targets["zmq-echo"].steps), "a floor: no reports"


def test_the_typical_p99_ignores_one_interrupted_interval(wire_sweep: Path) -> None:
    """The rule's P99 is the median of the intervals' P99s: one interval in which the
    machine took the core for a while moves it by at most one interval's place."""
    step = read_loadgen_report(wire_sweep / "wire-rust" / "rate-10000.wire.json")
    ic = read_interval_log(wire_sweep / "wire-rust" / "rate-10000.hlog")["e2e"]
    full = int((ic.total >= MIN_INTERVAL_ORDERS).sum())
    assert full >= MIN_INTERVALS, "the step's intervals were sized for ~200 orders each"
    typical = typical_p99(ic, step.latency_ns.e2e)
    assert typical is not None and typical <= step.latency_ns.e2e.max
    per_interval = sorted(
        quantiles(ic.values, ic.counts[ic.total >= MIN_INTERVAL_ORDERS], [0.99])[:, 0]
    )
    stall = 100 * int(ic.values.max())  # a 100× slower interval: the core was taken away
    values = np.append(ic.values, stall)
    counts = np.pad(ic.counts, ((0, 1), (0, 1)))
    counts[-1, -1] = 2 * MIN_INTERVAL_ORDERS
    spiked = IntervalCounts("e2e", np.append(ic.start_s, 99.0), np.append(ic.length_s, 0.1),
                            values, counts)  # fmt: skip
    after = typical_p99(spiked, step.latency_ns.e2e)
    assert after is not None and typical <= after <= per_interval[len(per_interval) // 2 + 1]
    assert after < stall / 10
    tiny = IntervalCounts("e2e", ic.start_s[:2], ic.length_s[:2], ic.values, ic.counts[:2])
    assert typical_p99(tiny, step.latency_ns.e2e) == step.latency_ns.e2e.p99, "too few intervals"


def test_intervals_hold_about_200_orders_between_20_ms_and_1_s() -> None:
    assert interval_ns(10_000, 0.2) == 100_000_000
    assert interval_ns(1_000, 0.2) == 1_000_000_000
    assert interval_ns(5_000_000, 0.2) == 20_000_000


def test_a_target_stops_after_two_steps_in_a_row_it_did_not_sustain(
    wire_scenario: Path, tmp_path: Path
) -> None:
    """One event per frame (--max-batch 1) cannot reach 500k events/s: the first two
    steps fail, the third is never run."""
    code = main(
        [
            "sweep", "--scenario", str(wire_scenario), "--builds", "wire-rust",
            "--rates", "500k,1M,2M", "--step-seconds", "0.1", "--warmup", "0",
            "--max-batch", "1", "--results-dir", str(tmp_path),
        ]
    )  # fmt: skip
    assert code == 0, "a sweep that finds no sustained rate still succeeds"
    (folder,) = (tmp_path / "sample").glob("sweep-*")
    target = decode(Sweep, json.loads((folder / "sweep.json").read_text()), "sweep").targets[
        "wire-rust"
    ]
    assert [s.rate_per_s for s in target.steps] == [500_000.0, 1_000_000.0]
    assert target.stopped == "not sustained 2 times in a row (500,000/s, 1,000,000/s)"
    assert target.sustained_max_per_s is None and target.baseline_p99_ns is None
    assert not (folder / "wire-rust" / "rate-2000000.wire.json").exists()
