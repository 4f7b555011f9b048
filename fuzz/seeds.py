"""Writes the fuzz corpora's seeds (``fuzz/corpus/<target>/seed-*``) from the project's own
inputs: the scenario manifests' generated files (at scale 0.1) cut to their first events,
their metadata, the wire frames a client would send for them, and the head of each recorded
Binance capture (``../shared/data``) with its depth snapshot cut to a few levels.

The Rust and Python targets of one decoder share a corpus: their inputs have one shape.
Rerun after a format change: ``.venv/bin/python fuzz/seeds.py``.
"""

from __future__ import annotations

import gzip
import json
import struct
import sys
from pathlib import Path

import numpy as np

from hotpath_asyncio.replayer import replay
from hotpath_format import REPORT_STRUCT, ScenarioMeta, read_events
from hotpath_format.codes import WireKind
from hotpath_format.files import EVENT_MAGIC, REPORT_MAGIC, encode_file
from hotpath_format.records import REPORT_DTYPE
from hotpath_format.wire import records_frame, text_frame
from hotpath_lab.scenarios import build_scenario

SCENARIOS = ("smoke", "calm", "volatility", "flash-crash", "multi-venue")
HEAD_EVENTS = 64
"""Events kept per seed: enough to reach orders and fills, small enough to mutate fast."""
FRAME_EVENTS = 16
CAPTURE_LINES = 40
SNAPSHOT_LEVELS = 8
CAPTURES = Path(__file__).resolve().parents[2] / "shared" / "data" / "binance-20240808"
CORPUS = Path(__file__).resolve().parent / "corpus"
_MARKETS = (
    "spot/btcusdt", "spot/ethusdt", "usdm/btcusdt", "usdm/ethusdt", "cm/btcusd_perp",
    "cm/ethusd_perp",
)  # fmt: skip
"""The order of ``fuzz/python/binance_capture.py``'s ``CAPTURES``: byte 0 of an input."""


def main() -> None:
    for target in ("scenario_file", "metadata_json", "wire_frames", "binance_capture"):
        (CORPUS / target).mkdir(parents=True, exist_ok=True)
    for name in SCENARIOS:
        scenario = read_events(build_scenario(name, scale=0.1))
        meta = json.dumps(scenario.meta_dict, sort_keys=True, separators=(",", ":")).encode()
        head = np.array(scenario.records[:HEAD_EVENTS])
        _write("scenario_file", name, _image(EVENT_MAGIC, meta, head))
        reports = _image(REPORT_MAGIC, b"{}", _reports(scenario.meta, head))
        _write("scenario_file", f"{name}-reports", reports)
        _write("metadata_json", name, meta)
        _write("wire_frames", name, _frames(meta, head))
    _write("metadata_json", "minimal", _minimal_meta())
    if not CAPTURES.is_dir():
        print(f"seeds: {CAPTURES} absent, no Binance seeds", file=sys.stderr)
        return
    for i, market in enumerate(_MARKETS):
        path = next((CAPTURES / market.split("/")[0]).glob(market.split("/")[1] + "_*.gz"))
        _write("binance_capture", market.replace("/", "-"), bytes([i, 0]) + _capture_head(path))


def _write(target: str, name: str, data: bytes) -> None:
    (CORPUS / target / f"seed-{name}").write_bytes(data)


def _image(magic: bytes, meta: bytes, records: np.ndarray) -> bytes:
    return b"".join(bytes(chunk) for chunk in encode_file(magic, meta, records))


def _reports(meta: ScenarioMeta, events: np.ndarray) -> np.ndarray:
    """The reports the engine gives for ``events``: a real report stream."""
    engine = replay(meta, events)
    body = b"".join(REPORT_STRUCT.pack(seq, *r) for seq, r in enumerate(engine.reports, 1))
    return np.frombuffer(body, REPORT_DTYPE)


def _frames(meta: bytes, events: np.ndarray) -> bytes:
    """START, EVENTS in batches, FINISH: each frame as ``[u16 length LE][bytes]``."""
    frames = [text_frame(WireKind.START, meta)]
    for seq, at in enumerate(range(0, len(events), FRAME_EVENTS), 1):
        batch = events[at : at + FRAME_EVENTS]
        frames.append(records_frame(WireKind.EVENTS, seq, batch.tobytes(), len(batch)))
    frames.append(text_frame(WireKind.FINISH, b""))
    return b"".join(struct.pack("<H", len(f)) + f for f in frames)


def _minimal_meta() -> bytes:
    limits = {
        "max_order_notional": 10**12, "max_gross_notional": 10**13, "max_position": [10**6],
        "rate_limit_count": 100, "rate_limit_window_ns": 10**9, "max_open_orders": 50,
        "max_loss": 10**9,
    }  # fmt: skip
    meta = {
        "schema": 1,
        "instruments": [{"id": 0, "tick_size": 1, "lot_size": 1, "max_order_qty": 1000,
                         "max_price": 10**6, "band_bps": 500}],
        "venues": [{"id": 0}],
        "accounts": [{"id": 0, "limits": limits}],
    }  # fmt: skip
    return json.dumps(meta).encode()


def _capture_head(path: Path) -> bytes:
    lines = []
    with gzip.open(path, "rb") as f:
        for raw in f:
            stamp, _, body = raw.partition(b" ")
            obj = json.loads(body)
            if "lastUpdateId" in obj:
                obj["bids"] = obj["bids"][:SNAPSHOT_LEVELS]
                obj["asks"] = obj["asks"][:SNAPSHOT_LEVELS]
                body = json.dumps(obj, separators=(",", ":")).encode() + b"\n"
            lines.append(stamp + b" " + body)
            if len(lines) == CAPTURE_LINES:
                break
    return b"".join(lines)


if __name__ == "__main__":
    main()
