"""The differential flame graph: the candidate's widths, red where a call path's share grew,
blue where it shrank, and both shares in the tooltip."""

import xml.etree.ElementTree as ET

from hotpath_lab.profiling.differential import (
    NEW_PATH,
    inclusive_shares,
    render_differential_svg,
    top_changes,
)
from hotpath_lab.profiling.stacks import Stack, parse_frame

SVG = "{http://www.w3.org/2000/svg}"
DRIVE = parse_frame("_drive (hotpath_lab/drivers/python_loop.py:1)")
RISK = parse_frame("PreTradeRisk.check (hotpath_asyncio/risk.py:40)")
EXEC = parse_frame("Execution.execute (hotpath_asyncio/execution.py:9)")
BURN = parse_frame("burn (hotpath_asyncio/canary.py:50)")


def fills(svg: str) -> dict[str, str]:
    out = {}
    for g in ET.fromstring(svg).iter(f"{SVG}g"):
        title, rect = g.find(f"{SVG}title"), g.find(f"{SVG}rect")
        assert title is not None and rect is not None
        out[(title.text or "").split(" — ")[0]] = rect.get("fill", "")
    return out


def test_grown_paths_are_red_shrunk_ones_blue_and_new_ones_full_red() -> None:
    baseline = [Stack((DRIVE, RISK), 50), Stack((DRIVE, EXEC), 50)]
    candidate = [Stack((DRIVE, RISK), 50), Stack((DRIVE, RISK, BURN), 20), Stack((DRIVE, EXEC), 50)]
    svg = render_differential_svg(baseline, candidate, "python", "canary")
    f = fills(svg)
    r, _, b = (int(x) for x in f[RISK.label][4:-1].split(","))
    assert r > b  # risk went from 50 % to 58 %
    r, _, b = (int(x) for x in f[EXEC.label][4:-1].split(","))
    assert b > r  # execution went from 50 % to 42 %
    assert f[BURN.label] == NEW_PATH
    assert "baseline 50.00% → candidate 58.33%" in svg
    assert top_changes(baseline, candidate, limit=1)[0] == (BURN.label, 0.0, 20 / 120)


def test_inclusive_shares_count_callees() -> None:
    shares = inclusive_shares([Stack((DRIVE, RISK), 3), Stack((DRIVE,), 1)])
    assert shares[(DRIVE.label,)] == 1.0
    assert shares[(DRIVE.label, RISK.label)] == 0.75
