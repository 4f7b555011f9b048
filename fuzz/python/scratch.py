"""What the Python fuzz targets share: a scratch folder in memory for decoders that read
files, and the cap on events replayed per input."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

OURS = ["hotpath_format", "hotpath_asyncio", "hotpath_lab"]
"""The packages whose code atheris instruments for coverage (not numpy, not the stdlib)."""

MAX_REPLAYED_EVENTS = 512
"""Enough to reach every stage of the engine, few enough to keep hundreds of inputs a second."""


def scratch_dir() -> Path:
    """A fresh folder on a RAM-backed filesystem where there is one (inputs are written to a
    file per execution, the way the readers get them)."""
    base = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    return Path(tempfile.mkdtemp(prefix="hotpath-fuzz-", dir=base))
