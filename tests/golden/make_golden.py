"""Writes the golden record files that pin the format in both languages.

Run only when the format version changes (``python tests/golden/make_golden.py``); the
tests in ``tests/hotpath_format`` and ``impls/rust/hotpath-core/tests/golden.rs`` read
these bytes and check every field, so a layout change cannot go unnoticed in either build.
"""

from pathlib import Path

import numpy as np

from hotpath_format import EVENT_DTYPE, REPORT_DTYPE, write_events, write_reports

HERE = Path(__file__).parent

META = {
    "schema": 1,
    "name": "golden",
    "description": "format golden file: every event kind, distinctive values in every field",
    "instruments": [
        {
            "id": 0,
            "symbol": "BTC-USD",
            "tick_size": 10,
            "lot_size": 1000,
            "max_order_qty": 100_000_000,
            "max_price": 20_000_000_000,
            "band_bps": 500,
            "price_decimals": 4,
            "qty_decimals": 8,
        }
    ],
    "venues": [{"id": 0, "name": "spot"}, {"id": 1, "name": "usdm"}, {"id": 2, "name": "coinm"}],
    "accounts": [
        {
            "id": 0,
            "name": "mm-1",
            "limits": {
                "max_order_notional": 9_000_000_000_000_000_000,
                "max_gross_notional": 9_100_000_000_000_000_000,
                "max_position": [500_000_000],
                "rate_limit_count": 50,
                "rate_limit_window_ns": 1_000_000,
                "max_open_orders": 64,
                "max_loss": 1_000_000_000_000,
            },
        }
    ],
}

# (ts, id, orig_id, price, qty, instrument, account, kind, side, order_type, venue)
EVENTS = [
    (1_000, 0, 0, 600_000_000, 250_000, 0, 0, 1, 1, 0, 2),
    (1_001, 0, 0, 600_010_000, 1_000, 0, 0, 2, 2, 0, 1),
    (2_000, 0x0102030405060708, 0, 599_990_000, 5_000, 0, 0, 3, 1, 1, 255),
    (2_000, 0x1112131415161718, 0x0102030405060708, 0, 0, 0, 0, 4, 0, 0, 0),
    (3_000, 77, 0x0102030405060708, -5, -7, 0xABCD, 0xFEDC, 5, 2, 3, 254),
]

# (seq, event_index, order_id, ref_id, price, qty, instrument, account,
#  kind, stage, reason, venue, liquidity, side, pad)
REPORTS = [
    (1, 2, 0x0102030405060708, 0, 599_990_000, 5_000, 0, 0, 1, 0, 0, 255, 0, 1, b""),
    (2, 2, 0x0102030405060708, 0, 599_990_000, 1_000, 0, 0, 3, 0, 0, 1, 2, 1, b""),
    (3, 3, 0x0102030405060708, 0x1112131415161718, 599_990_000, 4_000, 0, 0, 4, 0, 1, 0, 0, 1, b""),
    (4, 4, 77, 0x0102030405060708, -5, -7, 0xABCD, 0xFEDC, 2, 1, 1, 254, 0, 2, b""),
]


def main() -> None:
    write_events(HERE / "events-v1.hpe", META, np.array(EVENTS, dtype=EVENT_DTYPE))
    write_reports(
        HERE / "reports-v1.hpr",
        np.array(REPORTS, dtype=REPORT_DTYPE),
        {"schema": 1, "build": "golden", "scenario_sha256": ""},
    )


if __name__ == "__main__":
    main()
