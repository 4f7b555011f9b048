"""The lab's one way of printing numbers."""

import math

import pytest

from hotpath_lab import units


@pytest.mark.parametrize(
    ("ns", "text"),
    [
        (0, "0 ns"),
        (789.4, "789 ns"),
        (1_234, "1.23 µs"),
        (57_311, "57.3 µs"),
        (999_960, "1 ms"),  # rounded before the unit is chosen: not "1e+03 µs"
        (4_560_000, "4.56 ms"),
        (1.2e9, "1.2 s"),
        (-3_000, "-3 µs"),
        (None, "–"),
        (math.nan, "–"),
    ],
)
def test_a_latency_gets_three_digits_in_the_largest_unit_that_keeps_it_above_one(
    ns: float | None, text: str
) -> None:
    assert units.latency(ns) == text


def test_each_figure_unit_has_its_format() -> None:
    assert units.figure(1_500, "ns") == "1.5 µs"
    assert units.figure(43_898.06, "per_s") == "43,898"
    assert units.figure(52.0 * 2**20, "bytes") == "52.0 MiB"
    assert units.figure(4.18, "ms") == "4.2 ms"
    assert units.figure(0.0149, "share") == "1.49%"
    assert units.signed_pct(0.05) == "+5.0%" and units.ratio(27.15) == "27.1×"
    assert [units.ratio(0.0221), units.ratio(0.0), units.ratio(0.25)] == ["0.022×", "0.0×", "0.2×"]
    assert [units.count(None), units.pct(math.nan), units.ratio(None)] == ["–"] * 3
