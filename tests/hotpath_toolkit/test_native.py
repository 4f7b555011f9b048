"""The rust-native build in the toolkit's loop: same reports as the rust-ffi build, its
progress counter, and clear refusals of bad arguments."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from tests.hotpath_asyncio.streams import REALISTIC, random_scenario

from hotpath_format import report_digest

hotpath_toolkit = pytest.importorskip("hotpath_toolkit")
hotpath_rs = pytest.importorskip("hotpath_rs")


@pytest.fixture(scope="module")
def scenario() -> tuple[str, np.ndarray]:
    meta, records = random_scenario(21, 3000, REALISTIC)
    return meta.to_json(), records


def test_the_native_loop_and_the_ffi_build_give_the_same_reports(
    scenario: tuple[str, np.ndarray],
) -> None:
    mj, records = scenario
    ffi = hotpath_rs.replay(mj, records)
    assert len(ffi) > 500
    fast = hotpath_toolkit.replay(mj, records)
    progress = hotpath_toolkit.ReplayProgress()
    timed = hotpath_toolkit.native_run(mj, records, "max", 1.0, progress=progress)
    assert report_digest(fast) == report_digest(timed["reports"]) == report_digest(ffi)
    assert progress.snapshot() == (len(records), len(records))


def test_the_timed_pass_stamps_every_event_in_order(scenario: tuple[str, np.ndarray]) -> None:
    mj, records = scenario
    out = hotpath_toolkit.native_run(mj, records, "rate:2000000", 1.0, limit=500)
    start, end = out["start"], out["end"]
    assert len(start) == 500
    assert (start >= out["intended"]).all() and (end >= start).all()
    assert out["live_e2e"]["count"] > 0
    assert (out["validated"] > 0).any(), "the stage probe stamped the order requests"


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda mj, r: hotpath_toolkit.native_run(mj, r, "fast", 1.0), ValueError, "invalid pace"),
        (lambda mj, r: hotpath_toolkit.replay("{}", r), ValueError, "metadata"),
        (lambda mj, r: hotpath_toolkit.replay(mj, r.view(np.uint8)), TypeError, "EVENT_DTYPE"),
        (
            lambda mj, r: hotpath_toolkit._native.replay(mj, r.view(np.uint8)[:-1]),
            ValueError,
            "event buffer",
        ),
        (lambda mj, r: hotpath_toolkit.measure_jitter(0.0), ValueError, "seconds must be"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_error(
    scenario: tuple[str, np.ndarray],
    call: Callable[[str, np.ndarray], object],
    error: type[Exception],
    match: str,
) -> None:
    mj, records = scenario
    with pytest.raises(error, match=match):
        call(mj, records)
