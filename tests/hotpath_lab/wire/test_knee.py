"""The knee plot of a real sweep: one PNG at the lab's plot size and its SVG, in the sweep
folder that ``sweep.json`` names, with every target's line."""

from __future__ import annotations

import json
from pathlib import Path

from matplotlib.image import imread

from hotpath_lab.plots.style import HEIGHT_PX, WIDTH_PX
from hotpath_lab.storage import decode
from hotpath_lab.storage.sweep_model import Sweep


def test_one_knee_plot_per_sweep(wire_sweep: Path) -> None:
    sweep = decode(Sweep, json.loads((wire_sweep / "sweep.json").read_text()), "sweep.json")
    png, svg = wire_sweep / sweep.files.knee_png, wire_sweep / sweep.files.knee_svg
    assert (png.name, svg.name) == ("knee.png", "knee.svg")
    assert imread(png).shape[:2] == (HEIGHT_PX, WIDTH_PX)
    text = svg.read_text()
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    for name in sweep.targets:
        assert name in text, f"{name} is in the legend"
    assert [p.name for p in wire_sweep.glob("*.png")] == ["knee.png"]
    assert sweep.environment.git.sha and sweep.scenario.name == "sample"
