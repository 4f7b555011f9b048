"""Profiles in speedscope's file format (https://www.speedscope.app/file-format-schema.json).

One *sampled* profile per file: a shared frame table and, per distinct stack, the list of
frame indices (root first) with its sample count as the weight. speedscope then offers the
time-ordered, left-heavy and sandwich views that a static flame graph cannot.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from hotpath_lab.profiling.stacks import Frame, Stack

SCHEMA = "https://www.speedscope.app/file-format-schema.json"


def speedscope_document(stacks: Iterable[Stack], name: str) -> dict[str, Any]:
    index: dict[Frame, int] = {}
    frames: list[dict[str, Any]] = []
    samples: list[list[int]] = []
    weights: list[int] = []
    for s in stacks:
        row = []
        for f in s.frames:
            i = index.get(f)
            if i is None:
                i = index[f] = len(frames)
                entry: dict[str, Any] = {"name": f.name}
                if f.file:
                    entry["file"] = f.file
                frames.append(entry)
            row.append(i)
        samples.append(row)
        weights.append(s.count)
    total = sum(weights)
    return {
        "$schema": SCHEMA,
        "name": name,
        "exporter": "hotpath-lab",
        "activeProfileIndex": 0,
        "shared": {"frames": frames},
        "profiles": [
            {
                "type": "sampled",
                "name": name,
                "unit": "none",
                "startValue": 0,
                "endValue": total,
                "samples": samples,
                "weights": weights,
            }
        ],
    }


def speedscope_json(stacks: Iterable[Stack], name: str) -> str:
    return json.dumps(speedscope_document(stacks, name), separators=(",", ":")) + "\n"
