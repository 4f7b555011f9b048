"""atheris target: scenario metadata JSON from outside (a file's metadata block, a wire
START frame). Accepted metadata must build an engine and survive a write and re-read
unchanged; refusing with ``MetadataError`` is the only allowed failure."""

from __future__ import annotations

import sys

import atheris
from scratch import OURS

with atheris.instrument_imports(include=OURS):
    from hotpath_asyncio.engine import Engine
    from hotpath_format import MetadataError, ScenarioMeta


def test_one_input(data: bytes) -> None:
    try:
        meta = ScenarioMeta.from_json(data, file="fuzz.json")
    except MetadataError:
        return
    Engine(meta)
    reread = ScenarioMeta.from_json(meta.to_json(), file="rewritten.json")
    if reread != meta:
        raise AssertionError(f"metadata changed in a write and re-read: {meta} -> {reread}")


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
