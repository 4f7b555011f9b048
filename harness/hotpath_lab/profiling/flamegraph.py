"""Flame graphs as self-contained SVG, frames coloured by who they belong to.

The root is at the bottom and each frame sits on its caller; a frame's width is its share
of the samples. Siblings are in alphabetical order (so two profiles of the same code line
up), every frame has a tooltip (``<title>``) with its samples and share, and the colour
says whether it is the engine (Python or Rust), the FFI layer, the harness's driver, the
garbage collector or the interpreter, which is the first question a profile must answer.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from hotpath_lab.profiling.stacks import Category, Stack

WIDTH = 1200
FRAME_HEIGHT = 17
FONT_SIZE = 11
CHAR_WIDTH = 6.6
"""Approximate advance of one monospace character at ``FONT_SIZE``."""
TOP = 66
BOTTOM = 12
MIN_WIDTH = 0.3
"""Frames narrower than this many pixels are not drawn (nor their callees)."""

COLOURS: dict[Category, tuple[int, int, int]] = {
    Category.ENGINE_PYTHON: (240, 160, 50),
    Category.ENGINE_RUST: (214, 88, 58),
    Category.BINDINGS: (160, 120, 210),
    Category.HARNESS: (92, 156, 214),
    Category.GC: (60, 175, 90),
    Category.RUNTIME: (178, 178, 178),
    Category.OTHER: (214, 204, 150),
}


@dataclass
class _Node:
    label: str
    category: Category
    value: int = 0
    children: dict[str, _Node] = field(default_factory=dict)


def _tree(stacks: Iterable[Stack]) -> _Node:
    root = _Node("all", Category.OTHER)
    for s in stacks:
        root.value += s.count
        node = root
        for f in s.frames:
            child = node.children.get(f.label)
            if child is None:
                child = node.children[f.label] = _Node(f.label, f.category)
            child.value += s.count
            node = child
    return root


def _depth(node: _Node) -> int:
    return 1 + max((_depth(c) for c in node.children.values()), default=0)


def _fill(node: _Node) -> str:
    r, g, b = COLOURS[node.category]
    # a stable per-function shade, so neighbouring frames of one colour stay apart
    shift = zlib.crc32(node.label.encode()) % 31 - 15
    return f"rgb({_clip(r + shift)},{_clip(g + shift)},{_clip(b + shift)})"


Paint = Callable[[tuple[str, ...], int], tuple[str, str]]
"""``paint(path, samples) -> (fill, tooltip)`` for the frame at ``path`` (labels from the
root's first frame down): replaces the colour by owner, e.g. for a differential graph."""


def _clip(v: int) -> int:
    return max(0, min(255, v))


def _fit(text: str, width: float) -> str:
    room = int((width - 6) / CHAR_WIDTH)
    if room < 3:
        return ""
    return text if len(text) <= room else text[: room - 2] + ".."


def render_svg(
    stacks: Iterable[Stack],
    title: str,
    subtitle: str = "",
    *,
    width: int = WIDTH,
    paint: Paint | None = None,
    legend: Iterable[tuple[str, str]] | None = None,
) -> str:
    """The flame graph of ``stacks`` as SVG text (UTF-8, no external references).

    ``paint`` and ``legend`` (``(fill, text)`` pairs) replace the colours by owner."""
    root = _tree(stacks)
    depth = _depth(root)
    height = TOP + depth * FRAME_HEIGHT + BOTTOM
    scale = (width - 20) / root.value if root.value else 0.0
    out = [
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">',
        f"<style>text{{font-family:monospace;font-size:{FONT_SIZE}px;fill:#000}}"
        ".t{font-size:15px;font-weight:bold}.s{fill:#444}"
        "rect.f:hover{stroke:#000;stroke-width:0.8}</style>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fdfdf6"/>',
        f'<text class="t" x="10" y="20">{escape(title)}</text>',
        f'<text class="s" x="10" y="37">{escape(subtitle)}</text>',
    ]
    out.extend(_legend(_owner_legend(root) if legend is None else legend, y=54))
    if root.value:
        _draw(root, 10.0, height - BOTTOM - FRAME_HEIGHT, root.value, scale, out, (), paint)
    else:
        out.append(f'<text x="10" y="{TOP + 14}">no samples</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _owner_legend(root: _Node) -> list[tuple[str, str]]:
    """A swatch per owner category present in the graph."""
    present = _categories(root)
    return [
        (f"rgb({r},{g},{b})", cat.value) for cat, (r, g, b) in COLOURS.items() if cat in present
    ]


def _legend(entries: Iterable[tuple[str, str]], y: int) -> list[str]:
    """``(fill, text)`` swatches in a row."""
    parts, x = [], 10
    for fill, text in entries:
        parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill={quoteattr(fill)}/>')
        parts.append(f'<text x="{x + 16}" y="{y}">{escape(text)}</text>')
        x += 30 + int(len(text) * CHAR_WIDTH)
    return parts


def _categories(node: _Node) -> set[Category]:
    found = {node.category} if node.label != "all" else set()
    for c in node.children.values():
        found |= _categories(c)
    return found


def _draw(
    node: _Node,
    x: float,
    y: float,
    total: int,
    scale: float,
    out: list[str],
    path: tuple[str, ...],
    paint: Paint | None,
) -> None:
    w = node.value * scale
    if w < MIN_WIDTH:
        return
    share = 100.0 * node.value / total
    tip = f"{node.label} — {node.value:,} samples ({share:.2f}%)"
    label = _fit(node.label if node.label != "all" else f"all ({node.value:,} samples)", w)
    fill = _fill(node) if node.label != "all" else "rgb(225,225,215)"
    if paint is not None and path:
        fill, tip = paint(path, node.value)
    out.append(
        f"<g><title>{escape(tip)}</title>"
        f'<rect class="f" x="{x:.2f}" y="{y:.1f}" width="{w:.2f}" '
        f'height="{FRAME_HEIGHT - 1}" rx="2" fill={quoteattr(fill)}/>'
        + (f'<text x="{x + 3:.2f}" y="{y + 12:.1f}">{escape(label)}</text>' if label else "")
        + "</g>"
    )
    cx = x
    for key in sorted(node.children):
        child = node.children[key]
        _draw(child, cx, y - FRAME_HEIGHT, total, scale, out, (*path, key), paint)
        cx += child.value * scale
