"""atheris target: a scenario or report file from outside, through ``hotpath_format``'s
readers; a scenario they accept is replayed through the Python engine, as ``bench`` would.

Refusing with ``FormatError`` (which carries the file and offset) is the only allowed
failure: any other exception is a finding.
"""

from __future__ import annotations

import atexit
import contextlib
import shutil
import sys

import atheris
from scratch import MAX_REPLAYED_EVENTS, OURS, scratch_dir

with atheris.instrument_imports(include=OURS):
    from hotpath_asyncio.replayer import replay
    from hotpath_format import FormatError, read_events, read_reports


_DIR = scratch_dir()
atexit.register(shutil.rmtree, _DIR, True)
_PATH = _DIR / "fuzz.hpe"


def test_one_input(data: bytes) -> None:
    _PATH.write_bytes(data)
    with contextlib.suppress(FormatError):
        read_reports(_PATH)
    try:
        scenario = read_events(_PATH)
    except FormatError:
        return
    replay(scenario.meta, scenario.records[:MAX_REPLAYED_EVENTS])


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
