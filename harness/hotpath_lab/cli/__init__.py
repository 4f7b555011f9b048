"""The ``hotpath`` command line: scenarios, runs, shadow comparison, benchmarks, results.

Exit codes: 0 success; 1 a check failed (builds disagree, or the gate found a
regression); 2 bad usage or options; 3 bad input (a missing or corrupt scenario, manifest or
capture); 4 a build failed to run; 5 the gate could not measure; 130 interrupted (SIGINT);
143 terminated (SIGTERM, handled like SIGINT: workers stopped, staging folders removed).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from hotpath_lab import __version__
from hotpath_lab.cli import (
    bench,
    canary,
    gate,
    gateway,
    gil,
    readers,
    replay_race,
    results,
    run,
    scenario,
    shadow,
    sweep,
    watch,
)
from hotpath_lab.cli.common import (
    EXIT_BUILD_FAILED,
    EXIT_INPUT,
    EXIT_USAGE,
    InputError,
    console_err,
)
from hotpath_lab.cli.outputs import OutputError
from hotpath_lab.drivers.plugin import BuildFailed, BuildSpecError
from hotpath_lab.lifetime import Terminated, exit_code, terminate_as_interrupt

EPILOG = """exit codes:
  0    success
  1    a check failed (builds disagree; hotpath gate: a regression; hotpath canary: a guard)
  2    bad usage or options, including a build that cannot be loaded and an output
       path that cannot be written
  3    bad input: missing or corrupt scenario file, manifest or capture
  4    a build crashed (one line; --debug shows its traceback)
  5    hotpath gate could not measure (never a silent pass)
  130  interrupted (SIGINT)
  143  terminated (SIGTERM; cleaned up as for SIGINT)
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hotpath",
        description="Latency lab for a trading order hot path: build scenarios, replay them "
        "through the Python and Rust builds, compare their outputs and measure them.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"hotpath {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show the full error output of a build that crashed"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    scenario.register(sub)
    run.register(sub)
    shadow.register(sub)
    bench.register(sub)
    sweep.register(sub)
    canary.register(sub)
    gil.register(sub)
    replay_race.register(sub)
    readers.register(sub)
    gateway.register(sub)
    results.register(sub)
    gate.register(sub)
    watch.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with terminate_as_interrupt():
            code: int = args.handler(args)
    except InputError as exc:
        console_err.print(f"[bold red]error:[/] {exc}", highlight=False)
        return EXIT_INPUT
    except OutputError as exc:
        console_err.print(f"[bold red]error:[/] {exc}", highlight=False)
        return EXIT_USAGE
    except BuildSpecError as exc:
        console_err.print(f"[bold red]error:[/] {exc}", highlight=False)
        return EXIT_USAGE
    except BuildFailed as exc:
        console_err.print(f"[bold red]error:[/] {exc}", highlight=False)
        if args.debug:
            console_err.print(_crash_detail(exc), highlight=False, markup=False)
        return EXIT_BUILD_FAILED
    except KeyboardInterrupt as exc:
        console_err.print("terminated" if isinstance(exc, Terminated) else "interrupted")
        return exit_code(exc)
    return code


def _crash_detail(exc: BuildFailed) -> str:
    detail = getattr(exc, "detail", "")
    if detail:
        return str(detail).rstrip()
    import traceback

    cause = exc.__cause__ or exc
    return "".join(traceback.format_exception(cause)).rstrip()


if __name__ == "__main__":
    sys.exit(main())
