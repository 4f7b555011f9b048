"""The event (48-byte) and report (64-byte) records as numpy dtypes and ``struct`` layouts.

Both views describe the same bytes; ``tests/hotpath_format`` pins every offset and reads
the committed golden file with them.
"""

import struct

import numpy as np

EVENT_DTYPE = np.dtype(
    [
        ("ts", "<u8"),
        ("id", "<u8"),
        ("orig_id", "<u8"),
        ("price", "<i8"),
        ("qty", "<i8"),
        ("instrument", "<u2"),
        ("account", "<u2"),
        ("kind", "u1"),
        ("side", "u1"),
        ("order_type", "u1"),
        ("venue", "u1"),
    ],
    align=True,
)

REPORT_DTYPE = np.dtype(
    [
        ("seq", "<u8"),
        ("event_index", "<u8"),
        ("order_id", "<u8"),
        ("ref_id", "<u8"),
        ("price", "<i8"),
        ("qty", "<i8"),
        ("instrument", "<u2"),
        ("account", "<u2"),
        ("kind", "u1"),
        ("stage", "u1"),
        ("reason", "u1"),
        ("venue", "u1"),
        ("liquidity", "u1"),
        ("side", "u1"),
        ("pad", "V6"),
    ],
    align=True,
)

EVENT_STRUCT = struct.Struct("<QQQqqHHBBBB")
"""Event record fields in dtype order, for per-record decoding without numpy."""

REPORT_STRUCT = struct.Struct("<QQQQqqHHBBBBBB6x")
"""Report record fields in dtype order (without the padding)."""

assert EVENT_DTYPE.itemsize == EVENT_STRUCT.size == 48
assert REPORT_DTYPE.itemsize == REPORT_STRUCT.size == 64


def order_capacity(records: np.ndarray) -> int:
    """How many orders a stream can create (one per NEW and per REPLACE): the sizing hint an
    engine takes at start-up (``hotpath_core::format::order_capacity``)."""
    from hotpath_format.codes import EventKind

    kinds = records["kind"]
    return int(np.count_nonzero((kinds == EventKind.NEW_ORDER) | (kinds == EventKind.REPLACE)))
