"""The passes of the contention experiment, run one after the other on one scenario.

Each pass is one engine thread replaying the scenario (timed per event by the Rust native
loop) with a board and R reader threads (``hotpath_toolkit.readers_pass``, the GIL
released). The baseline publishes nothing; then each board with 0, 1, 2 … readers. Every
pass must give the plain replay's report digest: publishing never changes the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from hotpath_format import EventFile, report_digest

NO_BOARD = "none"
"""The baseline pass's board name: the engine alone, publishing nothing."""

PassProgress = Callable[[str, int], None]
"""``(board, readers)`` called before each pass."""


def board_names() -> tuple[str, ...]:
    """The boards the toolkit offers, in report order."""
    from hotpath_toolkit import BOARD_KINDS

    return tuple(BOARD_KINDS)


def plan(boards: Sequence[str], readers: Sequence[int]) -> list[tuple[str, int]]:
    """The baseline first, then every board with every reader count (0 included, so each
    board's own publication cost shows apart from contention)."""
    counts = sorted(set(readers) | {0})
    return [(NO_BOARD, 0)] + [(b, r) for b in boards for r in counts]


@dataclass(frozen=True)
class Experiment:
    reference_digest: str
    """The plain replay's report digest (``hotpath_rs.replay``)."""
    passes: list[dict[str, Any]]
    """Each pass as ``readers_pass`` returned it."""

    @property
    def agree(self) -> bool:
        return all(p["digest"] == self.reference_digest for p in self.passes)

    @property
    def protocol_held(self) -> bool:
        """No reader ever saw an instrument's seq go back."""
        return all(f["seq_regressions"] == 0 for p in self.passes for f in p["reader_figures"])


def run_experiment(
    scenario: EventFile,
    *,
    boards: Sequence[str],
    readers: Sequence[int],
    pace: str,
    speed: float,
    progress: PassProgress | None = None,
) -> Experiment:
    import hotpath_rs

    from hotpath_toolkit import readers_pass

    meta_json = scenario.meta.to_json()
    reference = report_digest(hotpath_rs.replay(meta_json, scenario.records))
    passes = []
    for board, r in plan(boards, readers):
        if progress is not None:
            progress(board, r)
        passes.append(
            readers_pass(
                meta_json,
                scenario.records,
                None if board == NO_BOARD else board,
                r,
                pace,
                speed,
            )
        )
    return Experiment(reference, passes)
