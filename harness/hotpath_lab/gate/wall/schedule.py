"""In which order the baseline (A) and candidate (B) processes run.

``ABBA`` (default): A B B A A B B A … — each side runs first in half of the pairs, so a
drift that is linear in time (the machine warming up, another job ramping up or down)
adds the same amount to both sides' mean position and cancels; ``AB`` (A B A B …) leaves
A always first, so such a drift lands on B. Both interleave at the scale of one process
(~15–30 s), so slower changes on the machine hit both sides alike.
"""

from __future__ import annotations

from typing import Literal

Side = Literal["A", "B"]
ORDERS = ("ABBA", "AB")


def schedule(pairs: int, order: str = "ABBA") -> list[Side]:
    """The sides in running order: ``pairs`` A runs and ``pairs`` B runs."""
    if pairs < 1:
        raise ValueError(f"pairs must be >= 1, got {pairs}")
    if order == "AB":
        return ["A", "B"] * pairs
    if order == "ABBA":
        out: list[Side] = []
        for i in range(pairs):
            out += ["A", "B"] if i % 2 == 0 else ["B", "A"]
        return out
    raise ValueError(f"unknown order {order!r}: one of {', '.join(ORDERS)}")
