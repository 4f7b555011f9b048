"""What every subcommand shares: exit codes, consoles, progress bars, opening scenarios."""

from __future__ import annotations

import argparse
import math
import sys
from contextlib import AbstractContextManager
from pathlib import Path

from rich.console import Console

from hotpath_format import EventFile, FormatError, MetadataError, read_events
from hotpath_lab.cli import progress
from hotpath_lab.cli.progress import ProgressCallback
from hotpath_lab.storage import Run

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_BUILD_FAILED = 4
EXIT_INTERRUPTED = 130

# Tables stay readable when output is piped or captured (CI logs), where rich would use 80.
console = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)
console_err = Console(stderr=True, soft_wrap=True, width=None if sys.stderr.isatty() else 160)


def positive_float(text: str) -> float:
    """argparse type: a number > 0."""
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not (v > 0 and math.isfinite(v)):
        raise argparse.ArgumentTypeError(f"must be > 0 and finite, got {text}")
    return v


def scale_value(text: str) -> float:
    """argparse type for ``--scale``: the generator's rule (``check_scale``)."""
    from hotpath_lab.scenarios.generate import check_scale

    try:
        return check_scale(float(text))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def seed_value(text: str) -> int:
    """argparse type for ``--seed``: the generator's rule (``check_seed``, a u64)."""
    from hotpath_lab.scenarios.generate import check_seed

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    try:
        return check_seed(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_scenario_options(p: argparse.ArgumentParser, *, positional: bool = False) -> None:
    """The scenario selector every subcommand shares: NAME|PATH, --scale, --seed."""
    help_text = (
        "manifest name (smoke, calm, volatility, flash-crash, multi-venue), a manifest .toml, "
        "or a scenario file (.hpe)"
    )
    if positional:
        p.add_argument("scenario", metavar="NAME|PATH", help=help_text)
    else:
        p.add_argument("--scenario", required=True, metavar="NAME|PATH", help=help_text)
    p.add_argument(
        "--scale", type=scale_value, default=1.0, help="multiply the scenario's size (default 1)"
    )
    p.add_argument(
        "--seed", type=seed_value, default=None, help="random seed (default: the manifest's)"
    )


class InputError(Exception):
    """A missing or corrupt input (scenario, manifest, capture): exit code 3."""


def progress_bar(
    description: str, *, enabled: bool = True
) -> AbstractContextManager[ProgressCallback]:
    """One task's progress on stderr (a bar on a terminal, plain lines elsewhere)."""
    return progress.progress_bar(console_err, description, enabled=enabled)


def is_scenario_file(arg: str) -> bool:
    return arg.endswith(".hpe") or (Path(arg).is_file() and not arg.endswith(".toml"))


def open_scenario(
    name_or_path: str, *, seed: int | None, scale: float, show_progress: bool = True
) -> EventFile:
    """Opens a scenario file, or builds (or reuses from cache) a scenario by manifest name.

    Every problem with the input becomes an ``InputError`` naming the file.
    """
    try:
        if is_scenario_file(name_or_path):
            return read_events(name_or_path)
        from hotpath_lab.scenarios.generate import build_scenario

        with progress_bar(f"building {name_or_path}", enabled=show_progress) as progress:
            path = build_scenario(name_or_path, seed=seed, scale=scale, progress=progress)
        return read_events(path)
    except (FormatError, MetadataError, OSError) as exc:
        raise InputError(str(exc)) from exc
    except ValueError as exc:  # manifest errors are ValueErrors naming file and key
        raise InputError(str(exc)) from exc


def add_results_dir(p: argparse.ArgumentParser, folders: str) -> None:
    """``--results-dir``: where a command writes its ``folders`` (run or sweep folders)."""
    p.add_argument(
        "--results-dir",
        default=None,
        help=f"where {folders} go (default: results/, or $HOTPATH_RESULTS)",
    )


def drop_copy_complete(run: Run) -> bool:
    """Whether every drop-copy row's streams hold its reports exactly once; says which do
    not (docs/dropcopy.md)."""
    incomplete = [
        n for n, b in run.builds.items() if b.drop_copy and not b.drop_copy.check.exactly_once
    ]
    for name in incomplete:
        console_err.print(
            f"[bold red]drop-copy:[/] {name}: Redis does not hold every report exactly once "
            "(report.md, 'Drop-copy to Redis')",
            highlight=False,
        )
    return not incomplete
