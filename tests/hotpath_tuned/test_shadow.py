"""Every combination of the tuned build's switches gives the Python build's report stream:
on the smoke scenario, through the lab's own driver (the tuned event loop included), and on
random adversarial streams (``tests/differential`` checks the other builds the same way)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hotpath_asyncio.streams import ADVERSARIAL, random_scenario, scenarios

import hotpath_asyncio
from hotpath_format import EventFile, ScenarioMeta
from hotpath_lab.drivers.python_loop import feed
from hotpath_lab.shadow import describe_report, first_divergence
from hotpath_tuned import SWITCHES, TunedService, Tuning, gc_policy

COMBINATIONS = [
    frozenset(c) for n in range(len(SWITCHES) + 1) for c in itertools.combinations(SWITCHES, n)
]


def tuned_reports(
    meta: ScenarioMeta,
    records: np.ndarray,
    tuning: Tuning,
    collect_every: int = 1_000,
    expected_orders: int | None = None,
) -> np.ndarray:
    """One pass through a tuned service fed by the lab's driver, the GC policy applied as
    the worker applies it (after a warm-up), collections scheduled often enough to run."""
    policy = gc_policy(tuning)
    policy.apply()
    try:
        service = TunedService(
            meta, tuning, n_events=len(records), collect_every=collect_every,
            expected_orders=len(records) // 4 if expected_orders is None else expected_orders,
        )  # fmt: skip
        feed(service, records)
        return service.report_array()
    finally:
        policy.restore()


def assert_same(python: np.ndarray, tuned: np.ndarray, tuning: Tuning) -> None:
    d = first_divergence(python, tuned)
    if d is not None:
        pytest.fail(
            f"python and python-tuned+{tuning.options} diverge at report {d.index}:\n"
            f"  python: {describe_report(d.a)}\n  tuned:  {describe_report(d.b)}"
        )
    assert python.tobytes() == tuned.tobytes()  # padding and seq too: the same digest


def test_sixty_four_combinations_are_every_subset_of_the_switches() -> None:
    assert len(COMBINATIONS) == 2 ** len(SWITCHES) == len(set(COMBINATIONS))


@pytest.mark.slow
def test_every_combination_gives_the_python_builds_reports_on_smoke(smoke: EventFile) -> None:
    python = hotpath_asyncio.replay(smoke.meta, smoke.records).report_array()
    assert len(python) > 5_000
    for on in COMBINATIONS:
        tuning = Tuning(on)
        assert_same(python, tuned_reports(smoke.meta, smoke.records, tuning), tuning)


@pytest.mark.parametrize("options", [None, "none", "packed-reports", "gc-off", "direct+uvloop"])
def test_the_ladders_builds_give_the_python_builds_reports_on_smoke(
    smoke: EventFile, options: str | None
) -> None:
    """The fast subset of the test above (every commit): what ``make tuned`` measures most."""
    python = hotpath_asyncio.replay(smoke.meta, smoke.records).report_array()
    tuning = Tuning.parse(options)
    assert_same(python, tuned_reports(smoke.meta, smoke.records, tuning), tuning)


@settings(max_examples=150)
@given(
    scenarios(max_events=200, profile=ADVERSARIAL),
    st.sampled_from(COMBINATIONS),
    st.integers(min_value=1, max_value=50),
)
def test_random_adversarial_streams_agree(
    sc: tuple[ScenarioMeta, np.ndarray], on: frozenset[str], collect_every: int
) -> None:
    meta, records = sc
    python = hotpath_asyncio.replay(meta, records).report_array()
    tuning = Tuning(on)
    assert_same(python, tuned_reports(meta, records, tuning, collect_every), tuning)


@pytest.mark.parametrize("seed", [21, 22])
def test_long_adversarial_streams_agree_with_everything_on(seed: int) -> None:
    """Long enough to grow the packed buffer many times and to run many collections."""
    meta, records = random_scenario(seed, 20_000, ADVERSARIAL)
    python = hotpath_asyncio.replay(meta, records).report_array()
    assert len(python) > 4 * 1024  # past the smallest buffer twice
    tuning = Tuning(frozenset(SWITCHES))
    assert_same(python, tuned_reports(meta, records, tuning, expected_orders=0), tuning)
