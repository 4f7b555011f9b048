"""The recorder every percentile of a run comes from: ``record_timings`` for the timed pass
and ``summarize_gaps`` for every other figure, one histogram rule and one summary shape."""

from __future__ import annotations

import numpy as np
import pytest

from hotpath_format import EventKind

hotpath_toolkit = pytest.importorskip("hotpath_toolkit")

SUMMARY_KEYS = {"count", "min", "p50", "p90", "p99", "p999", "p9999", "max", "mean"}


def stamps(n: int, seed: int = 3) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    intended = np.cumsum(rng.integers(1_000, 50_000, n)).astype(np.uint64) + 1_000_000
    start = intended + rng.integers(0, 20_000, n).astype(np.uint64)
    end = start + rng.lognormal(7, 1.5, n).astype(np.uint64) + 1
    zeros = np.zeros(n, np.uint64)
    return {"intended": intended, "start": start, "end": end, "zeros": zeros}


def test_a_gap_summary_is_the_recorders_summary_of_the_same_values() -> None:
    n = 20_000
    s = stamps(n)
    kinds = np.full(n, EventKind.NEW_ORDER, np.uint8)
    z = s["zeros"]
    rec = hotpath_toolkit.record_timings(
        kinds, s["intended"], s["start"], s["end"], z, z, z, 1_000_000, 10**9, 0.0
    )
    service = hotpath_toolkit.summarize_gaps(s["end"], s["start"])
    e2e = hotpath_toolkit.summarize_gaps(s["end"], s["intended"])
    assert service == rec["summaries"]["service"]
    assert e2e == rec["summaries"]["e2e"]
    assert set(service) == SUMMARY_KEYS == set(rec["summaries"]["e2e"])


def test_percentiles_are_hdr_values_not_interpolated() -> None:
    later = np.arange(1, 1001, dtype=np.uint64) * 1_000 + 5
    earlier = np.full(1000, 5, np.uint64)
    s = hotpath_toolkit.summarize_gaps(later, earlier)
    assert s["count"] == 1000
    # numpy would interpolate to 500 500; the histogram reports the highest value
    # equivalent to the 500th value (500 000) at 3 significant digits
    assert s["p50"] == 500_223
    assert s["min"] == 1_000 and s["max"] == 1_000_447


def test_missing_stamps_are_left_out_and_an_early_start_counts_as_zero() -> None:
    later = np.array([0, 50, 10], np.uint64)
    earlier = np.array([7, 20, 30], np.uint64)
    s = hotpath_toolkit.summarize_gaps(later, earlier)
    assert (s["count"], s["min"], s["max"]) == (2, 0, 30)


def test_arrays_of_different_lengths_are_refused_by_name() -> None:
    with pytest.raises(ValueError, match="3 later stamps but 2 earlier ones"):
        hotpath_toolkit.summarize_gaps(np.ones(3, np.uint64), np.ones(2, np.uint64))
    with pytest.raises(ValueError, match="intended has 2 entries, expected 3"):
        z = np.zeros(3, np.uint64)
        hotpath_toolkit.record_timings(np.zeros(3, np.uint8), z[:2], z, z, z, z, z, 0, 10**9, 0.0)
