"""``python -m hotpath_lab.scenarios.binance CAPTURES OUT.hpe``: import and write a scenario."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from hotpath_lab.scenarios.binance.capture import CaptureError
from hotpath_lab.scenarios.binance.importer import import_binance


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hotpath_lab.scenarios.binance")
    parser.add_argument("captures", type=Path, help="capture directory (spot/, usdm/, cm/)")
    parser.add_argument("out", type=Path, nargs="?", help="scenario file to write")
    parser.add_argument("--book-ticker", choices=("overlay", "check"), default="overlay")
    parser.add_argument(
        "--skip-stream", action="append", default=[], help="stream type to skip with a count"
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        result = import_binance(
            args.captures, book_ticker=args.book_ticker, skip_streams=args.skip_stream
        )
    except CaptureError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - start
    if args.out is not None:
        result.write(args.out)
    print(json.dumps(result.stats.totals(), indent=1))
    print(f"{len(result.records)} records in {elapsed:.2f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
