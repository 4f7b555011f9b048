"""Where the profiled time goes, per build: one stacked bar of sample shares each.

Engine modules are shaded in the build's colour family and named; the FFI layer, the
driver, the garbage collector and the interpreter get fixed colours, so the same owner has
the same colour in every bar.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hotpath_lab.plots.style import new_figure, no_data, save
from hotpath_lab.profiling.attribution import UNRESOLVED
from hotpath_lab.reporting.run_data import RunData

FIXED = {
    UNRESOLVED: "#8C8C8C",
    "FFI / bindings": "#A078D2",
    "driver (harness)": "#5C9CD6",
    "garbage collector": "#3CAF5A",
    "interpreter / runtime": "#B2B2B2",
    "other": "#D6CC96",
}
ENGINE_SHADES = (
    "#F0A032",
    "#D6583A",
    "#E8C547",
    "#C8553D",
    "#F28F3B",
    "#9E2A2B",
    "#FFB563",
    "#E07A5F",
    "#BC4B51",
    "#F4D35E",
)


def plot_profile_shares(data: RunData, path: Path) -> Path:
    fig, (ax,) = new_figure(1, 1)
    profiles = data.profiles
    if not profiles:
        no_data(ax, "no profile in this run (hotpath bench --profile)")
        return save(fig, path)
    builds = list(profiles)
    owners: list[str] = []
    for b in builds:
        for o in profiles[b].attribution.by_owner:
            if o not in owners:
                owners.append(o)
    engine = sorted(o for o in owners if o.startswith("engine: "))
    fixed = [o for o in FIXED if o in owners]
    rest = [o for o in owners if o not in engine and o not in fixed]
    ordered = engine + fixed + rest
    colours = {o: ENGINE_SHADES[i % len(ENGINE_SHADES)] for i, o in enumerate(engine)}
    colours.update(FIXED)
    colours.update({o: "#D6CC96" for o in rest})
    y = np.arange(len(builds))
    left = np.zeros(len(builds))
    for owner in ordered:
        shares = np.array(
            [
                profiles[b].attribution.by_owner.get(owner, 0)
                / max(1, profiles[b].attribution.samples)
                for b in builds
            ]
        )
        bars = ax.barh(
            y,
            100 * shares,
            left=100 * left,
            color=colours[owner],
            label=owner,
            edgecolor="white",
            lw=0.5,
        )
        for rect, s in zip(bars, shares, strict=True):
            if s >= 0.04:
                name = owner.removeprefix("engine: ")
                ax.text(
                    rect.get_x() + rect.get_width() / 2,
                    rect.get_y() + rect.get_height() / 2,
                    f"{name}\n{100 * s:.0f}%",
                    ha="center",
                    va="center",
                    fontsize=7,
                )
        left += shares
    ax.set_yticks(y, [f"{b}\n({profiles[b].samples:,} samples)" for b in builds])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of profile samples inside the replays")
    ax.legend(fontsize=7, ncols=4, loc="upper center", bbox_to_anchor=(0.5, -0.1))
    fig.suptitle(f"{data.run.scenario.name}: where the time goes (py-spy, closed loop)")
    return save(fig, path)
