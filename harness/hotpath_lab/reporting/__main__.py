"""``python -m hotpath_lab.reporting RUN [--out DIR]``: a report for an existing run.

Run folders are never modified after they are created, so a report for an older run (or
a re-rendered one) goes to ``--out`` (default: ``./report-<run id>``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hotpath_lab.reporting.report import write_report
from hotpath_lab.storage import ResultsError, load_run, resolve_run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hotpath_lab.reporting", description=__doc__)
    parser.add_argument("run", help="run folder or run id")
    parser.add_argument("--out", default=None, help="output folder (default ./report-<run id>)")
    parser.add_argument("--results-dir", default=None, help="where earlier runs are looked for")
    args = parser.parse_args(argv)
    try:
        folder = resolve_run(args.run, Path(args.results_dir) if args.results_dir else None)
        run = load_run(folder)
    except ResultsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else Path(f"report-{run['run_id']}")
    out.mkdir(parents=True, exist_ok=True)
    path = write_report(folder, Path(args.results_dir) if args.results_dir else None, out_dir=out)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
