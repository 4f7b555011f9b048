"""The running order: each side equally often, and first in half of the pairs (ABBA)."""

import pytest

from hotpath_lab.gate.wall.schedule import schedule


def test_abba_puts_each_side_first_in_half_of_the_pairs() -> None:
    plan = schedule(4)
    assert plan == list("ABBAABBA")
    firsts = [plan[i] for i in range(0, len(plan), 2)]
    assert firsts.count("A") == firsts.count("B") == 2


def test_ab_alternates_and_counts_match() -> None:
    assert schedule(3, "AB") == list("ABABAB")
    assert schedule(5).count("A") == schedule(5).count("B") == 5


@pytest.mark.parametrize(("pairs", "order"), [(0, "ABBA"), (2, "BA")])
def test_bad_plans_are_refused(pairs: int, order: str) -> None:
    with pytest.raises(ValueError, match=r"pairs|order"):
        schedule(pairs, order)


def test_more_pairs_extend_the_schedule_of_fewer() -> None:
    """The tier adds pairs by running the rest of a longer schedule."""
    assert schedule(8)[:12] == schedule(6)
    assert schedule(12, "AB")[:8] == schedule(4, "AB")
