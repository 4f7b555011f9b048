"""The smoke scenario's report stream, pinned: its digest and a readable excerpt.

``python tests/golden/smoke_reports.py`` rewrites ``smoke-reports.txt`` after a deliberate
change of behaviour (or of the smoke scenario); the diff of that file in review shows what
changed, report by report.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hotpath_format import Reason, ReportKind, read_events, report_digest
from hotpath_lab.outcomes import count_outcomes
from hotpath_lab.scenarios import build_scenario
from hotpath_lab.shadow import describe_report

HERE = Path(__file__).parent
EXCERPT = HERE / "smoke-reports.txt"


def excerpt(reports: np.ndarray) -> str:
    """Counts, the digest, the first 25 reports and the first report of each kind/reason."""
    lines = [f"digest {report_digest(reports)}", f"reports {len(reports)}"]
    outcomes = count_outcomes(reports)
    lines += [f"  {k} {v}" for k, v in outcomes.by_kind.items()]
    lines += [f"  reject {k} {v}" for k, v in outcomes.rejects_by_reason.items()]
    lines.append("first reports:")
    lines += [f"  {describe_report(r)}" for r in reports[:25]]
    lines.append("first of each kind and reason:")
    seen: set[tuple[int, int]] = set()
    for r in reports:
        key = (int(r["kind"]), int(r["reason"]))
        if key not in seen:
            seen.add(key)
            lines.append(f"  {describe_report(r)}")
    assert {int(k) for k, _ in seen} == {int(k) for k in ReportKind}
    assert {r for k, r in seen if k == ReportKind.REJECT} == {int(x) for x in Reason}
    return "\n".join(lines) + "\n"


def smoke_reports(tmp: Path) -> np.ndarray:
    import hotpath_asyncio

    f = read_events(build_scenario("smoke", out=tmp / "smoke.hpe"))
    return hotpath_asyncio.replay(f.meta, f.records).report_array()


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        EXCERPT.write_text(excerpt(smoke_reports(Path(d))))
    print(f"wrote {EXCERPT}")
