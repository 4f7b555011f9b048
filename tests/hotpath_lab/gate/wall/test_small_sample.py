"""The small-sample stretch: Student's t from its closed form, the expansion factor, and
an interval from four pairs that no longer calls two slow neighbours a regression."""

import math

import pytest
from tests.hotpath_lab.gate.wall.test_resampling import side

from hotpath_lab.gate.wall.resampling import changes
from hotpath_lab.gate.wall.small_sample import expand, expansion, t_quantile


@pytest.mark.parametrize(
    ("df", "t975"),  # printed tables of Student's t, 95 % two-sided
    [(1, 12.706), (2, 4.303), (3, 3.182), (4, 2.776), (5, 2.571), (7, 2.365), (11, 2.201),
     (30, 2.042), (120, 1.980)],
)  # fmt: skip
def test_t_quantile_matches_the_printed_table(df: int, t975: float) -> None:
    assert t_quantile(0.95, df) == pytest.approx(t975, abs=1e-3)


def test_t_quantile_at_other_confidences() -> None:
    assert t_quantile(0.90, 3) == pytest.approx(2.353, abs=1e-3)
    assert t_quantile(0.99, 8) == pytest.approx(3.355, abs=1e-3)


def test_the_expansion_shrinks_towards_one_with_more_pairs() -> None:
    factors = [expansion(n, 0.95) for n in (2, 4, 6, 8, 12, 1000)]
    assert factors == sorted(factors, reverse=True)
    assert factors[1] == pytest.approx(1.874, abs=1e-3)
    assert factors[-1] == pytest.approx(1.0, abs=2e-3)
    assert math.isinf(expansion(1, 0.95))


def test_expand_stretches_each_side_about_the_point() -> None:
    assert expand(0.1, 0.0, 0.3, 2.0) == pytest.approx((-0.1, 0.5))
    assert expand(0.1, 0.0, 0.3, math.inf) == (-math.inf, math.inf)


def test_two_slow_pairs_of_four_are_not_a_change() -> None:
    # the candidate's processes of pairs 1 and 2 ran while the machine was busier (+20 %):
    # both sides are the same build, and the interval must say so
    a = side([200, 200, 200, 200], seed=11)
    b = side([240, 240, 200, 200], seed=12)
    (c,) = changes(a, b, [0.5], method="paired")
    assert 0.05 < c.change < 0.15
    assert c.low < 0 < c.high


def test_one_process_a_side_cannot_bound_the_change() -> None:
    (c,) = changes(side([200], seed=13), side([210], seed=14), [0.5], method="paired")
    assert (c.low, c.high) == (-math.inf, math.inf)
