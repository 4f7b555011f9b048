"""The ``hotpath`` command line: scenarios, runs, shadow comparison, benchmarks, results.

Exit codes: 0 success; 1 a check failed (builds disagree, a gate tripped); 2 bad usage or
options; 3 bad input (a missing or corrupt scenario, manifest or capture); 4 a build failed
to run; 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from hotpath_lab import __version__
from hotpath_lab.cli import bench, results, run, scenario, shadow
from hotpath_lab.cli.common import EXIT_INPUT, EXIT_INTERRUPTED, InputError, console_err

EPILOG = """exit codes:
  0    success
  1    a check failed (builds disagree, a regression gate tripped)
  2    bad usage or options
  3    bad input: missing or corrupt scenario file, manifest or capture
  4    a build failed to run (its error output is shown)
  130  interrupted
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
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    scenario.register(sub)
    run.register(sub)
    shadow.register(sub)
    bench.register(sub)
    results.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
    except InputError as exc:
        console_err.print(f"[bold red]error:[/] {exc}", highlight=False)
        return EXIT_INPUT
    except KeyboardInterrupt:
        console_err.print("interrupted")
        return EXIT_INTERRUPTED
    return code


if __name__ == "__main__":
    sys.exit(main())
