"""Flame-graph SVGs: well-formed, proportional, labelled, coloured by owner."""

import xml.etree.ElementTree as ET

from hotpath_lab.profiling.flamegraph import COLOURS, render_svg
from hotpath_lab.profiling.stacks import Category, Stack, parse_frame

SVG = "{http://www.w3.org/2000/svg}"


def stacks() -> list[Stack]:
    drive = parse_frame("_drive (hotpath_lab/drivers/python_loop.py:1)")
    risk = parse_frame("PreTradeRisk.check (hotpath_asyncio/risk.py:40)")
    book = parse_frame('Books <&> "odd" name (hotpath_asyncio/book.py:3)')
    return [Stack((drive, risk), 3), Stack((drive, book), 1)]


def frames(svg: str) -> dict[str, tuple[float, float]]:
    """title text → (x, width) of each frame's rectangle."""
    root = ET.fromstring(svg)
    out = {}
    for g in root.iter(f"{SVG}g"):
        title = g.find(f"{SVG}title")
        rect = g.find(f"{SVG}rect")
        assert title is not None and rect is not None
        out[title.text or ""] = (float(rect.get("x", 0)), float(rect.get("width", 0)))
    return out


def test_the_svg_is_well_formed_and_escapes_odd_names() -> None:
    svg = render_svg(stacks(), "title <with> & markup", "sub")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert any('Books <&> "odd" name' in t for t in frames(svg))


def test_widths_are_proportional_to_samples_and_children_sit_on_their_parent() -> None:
    f = frames(render_svg(stacks(), "t"))
    (_, all_w) = next(v for k, v in f.items() if k.startswith("all"))
    (_, drive_w) = next(v for k, v in f.items() if k.startswith("_drive"))
    (_, risk_w) = next(v for k, v in f.items() if k.startswith("PreTradeRisk.check"))
    (_, book_w) = next(v for k, v in f.items() if k.startswith("Books"))
    assert drive_w == all_w
    assert abs(risk_w - 3 * book_w) < 0.05
    assert abs(risk_w + book_w - drive_w) < 0.05


def test_tooltips_give_samples_and_share() -> None:
    titles = list(frames(render_svg(stacks(), "t")))
    assert "PreTradeRisk.check (hotpath_asyncio/risk.py) — 3 samples (75.00%)" in titles


def test_frames_are_coloured_by_owner_and_the_legend_names_the_owners_present() -> None:
    svg = render_svg(stacks(), "t")
    assert Category.ENGINE_PYTHON.value in svg and Category.HARNESS.value in svg
    assert Category.ENGINE_RUST.value not in svg
    r, g, b = COLOURS[Category.ENGINE_PYTHON]
    assert f"rgb({r},{g},{b})" in svg  # the legend swatch


def test_no_samples_gives_a_valid_svg_that_says_so() -> None:
    svg = render_svg([], "empty")
    ET.fromstring(svg)
    assert "no samples" in svg
