"""atheris target: a recorded Binance capture from outside, through ``import_binance`` and
the scenario writer, as ``hotpath scenario import binance`` runs them.

Input: byte 0 picks the market (venue directory and symbol, ``CAPTURES``), byte 1's low bit
whether the rest is the capture's text (gzipped here, to reach the line decoder) or the
``.gz`` file's raw bytes (to reach the gzip reader). Refusing with ``CaptureError``, which
names the file and line, is the only allowed failure: any other exception is a finding.
"""

from __future__ import annotations

import atexit
import gzip
import shutil
import sys

import atheris
from scratch import OURS, scratch_dir

with atheris.instrument_imports(include=OURS):
    from hotpath_format import read_events
    from hotpath_lab.scenarios.binance import CaptureError, import_binance


CAPTURES = (
    "spot/btcusdt_fuzz.gz",
    "spot/ethusdt_fuzz.gz",
    "usdm/btcusdt_fuzz.gz",
    "usdm/ethusdt_fuzz.gz",
    "cm/btcusd_perp_fuzz.gz",
    "cm/ethusd_perp_fuzz.gz",
)
"""One capture file per known market, in the order byte 0 picks them."""

_DIR = scratch_dir()
atexit.register(shutil.rmtree, _DIR, True)
_SRC = _DIR / "captures"
_OUT = _DIR / "imported.hpe"


def test_one_input(data: bytes) -> None:
    if len(data) < 2:
        return
    shutil.rmtree(_SRC, ignore_errors=True)
    capture = _SRC / CAPTURES[data[0] % len(CAPTURES)]
    capture.parent.mkdir(parents=True)
    body = data[2:]
    capture.write_bytes(body if data[1] & 1 else gzip.compress(body, compresslevel=1, mtime=0))
    try:
        result = import_binance(_SRC)
    except CaptureError:
        return
    result.write(_OUT)
    read_events(_OUT)


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
