"""Progress on stderr, the one way every subcommand shows it.

On a terminal: rich progress bars, one per task (a build's phase, a scenario being built),
cleared when done. Anywhere else (CI logs, a pipe, a file): plain lines, one when a task
starts, then at most one every ``interval_s`` per task, and one when it ends — an
8-minute bench in a CI log shows that it is alive and how far it got.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import IO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

ProgressCallback = Callable[[int, int], None]
"""``callback(done, total)``: units done so far out of ``total``."""

PLAIN_INTERVAL_S = 10.0
"""Seconds between two plain progress lines of one task."""


class ProgressDisplay:
    """Shows ``update(task, done, total)`` calls as bars or as plain lines."""

    def __init__(
        self, console: Console, *, plain: bool | None = None, interval_s: float = PLAIN_INTERVAL_S
    ) -> None:
        self._plain = (not console.is_terminal) if plain is None else plain
        self._out: IO[str] = console.file
        self._interval_s = interval_s
        self._bars = (
            None
            if self._plain
            else Progress(
                TextColumn("[progress.description]{task.description}"),
                BarColumn(),
                TaskProgressColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=console,
                transient=True,
            )
        )
        self._tasks: dict[str, TaskID] = {}
        self._started: dict[str, float] = {}
        self._last_line: dict[str, float] = {}
        self._finished: set[str] = set()

    def __enter__(self) -> ProgressDisplay:
        if self._bars is not None:
            self._bars.start()
        return self

    def __exit__(self, *_: object) -> None:
        if self._bars is not None:
            self._bars.stop()

    def update(self, task: str, done: int, total: int) -> None:
        if self._bars is not None:
            if task not in self._tasks:
                self._tasks[task] = self._bars.add_task(task, total=total or None)
            self._bars.update(self._tasks[task], completed=done, total=total or None)
            return
        self._plain_line(task, done, total)

    def callback(self, task: str) -> ProgressCallback:
        """``update`` bound to one task."""
        return lambda done, total: self.update(task, done, total)

    def _plain_line(self, task: str, done: int, total: int) -> None:
        now = time.monotonic()
        first = task not in self._started
        if first:
            self._started[task] = now
        finished = total > 0 and done >= total
        if task in self._finished:
            return
        due = now - self._last_line.get(task, -1e18) >= self._interval_s
        if not (first or finished or due):
            return
        self._last_line[task] = now
        if finished:
            self._finished.add(task)
        share = f" ({100 * done / total:.0f}%)" if total > 0 else ""
        state = "done" if finished else f"{done:,}/{total:,}{share}" if total else f"{done:,}"
        elapsed = now - self._started[task]
        print(f"[{elapsed:7.1f} s] {task}: {state}", file=self._out, flush=True)


@contextlib.contextmanager
def progress_bar(
    console: Console, description: str, *, enabled: bool = True
) -> Iterator[ProgressCallback]:
    """One task's progress: ``with progress_bar(console, "building x") as cb: cb(d, n)``."""
    if not enabled:
        yield lambda done, total: None
        return
    with ProgressDisplay(console) as display:
        yield display.callback(description)
