"""The drop-copy contract (``docs/dropcopy.md``): the Redis stream keys, the entries of the
reports and positions streams, the position fold over FILL reports and the snapshot cadence.

Both publishers (Rust and Python) and every reader (the harness's check, ``hotpath watch``)
share these definitions; nothing here talks to Redis.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias, cast

import numpy as np

from hotpath_format.codes import ReportKind, Side
from hotpath_format.records import REPORT_DTYPE

RUNS_KEY = "hotpath:runs"
"""The run index the harness writes: ``state=start`` / ``state=end`` entries per pass."""

MAX_ENTRY_REPORTS = 256
"""Most reports one entry of the reports stream holds."""

DEFAULT_SNAPSHOT_EVERY = 10_000
"""A positions snapshot after every report whose seq is a multiple of this."""

POSITION_DTYPE = np.dtype(
    [("account", "<u2"), ("instrument", "<u2"), ("pad", "V4"), ("position", "<i8")],
    align=True,
)
"""One net position: ``account u16, instrument u16, 4 zero bytes, position i64``."""

assert POSITION_DTYPE.itemsize == 16

Fields: TypeAlias = Mapping[bytes, bytes] | Mapping[str, bytes]
"""An entry's fields as read back (redis-py gives bytes names) or as encoded (str names)."""

_REPORT_SIZE = REPORT_DTYPE.itemsize
_POSITION_SIZE = POSITION_DTYPE.itemsize


class DropCopyFormatError(ValueError):
    """A stream entry that breaks the contract; the message names the entry and the field."""


def reports_key(prefix: str) -> str:
    """The reports stream of the publishing pass under ``prefix``."""
    return f"{prefix}:reports"


def positions_key(prefix: str) -> str:
    """The positions stream of the publishing pass under ``prefix``."""
    return f"{prefix}:positions"


def entry_id(seq: int) -> str:
    """The explicit stream ID of an entry whose last (or as-of) seq is ``seq``."""
    return f"{seq}-0"


def seq_of_id(entry: bytes | str) -> int:
    """The seq an entry ID names (``"<seq>-0"``); raises :class:`DropCopyFormatError`."""
    text = entry.decode("ascii", "replace") if isinstance(entry, bytes) else entry
    ms, sep, sub = text.partition("-")
    if not (sep and ms.isdigit() and sub == "0"):
        raise DropCopyFormatError(f"entry ID {text!r}: expected <seq>-0")
    return int(ms)


# ---- the reports stream ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportsEntry:
    """One entry of ``P:reports``: reports ``first … first+count-1`` as 64-byte records."""

    first: int
    count: int
    records: bytes

    @property
    def last(self) -> int:
        return self.first + self.count - 1

    def array(self) -> np.ndarray:
        """The records as a read-only ``REPORT_DTYPE`` view."""
        return np.frombuffer(self.records, REPORT_DTYPE)


def encode_reports_entry(
    first: int, records: bytes | memoryview
) -> tuple[str, dict[str, bytes | memoryview]]:
    """The ID and fields of the entry holding ``records`` (report seqs ``first`` on); the
    records are passed on as given, not copied."""
    size = len(records)
    count, rest = divmod(size, _REPORT_SIZE)
    if rest or not 1 <= count <= MAX_ENTRY_REPORTS:
        raise DropCopyFormatError(
            f"reports entry from seq {first}: {size} bytes of records, expected 1 to "
            f"{MAX_ENTRY_REPORTS} records of {_REPORT_SIZE} bytes"
        )
    if first < 1:
        raise DropCopyFormatError(f"reports entry: first seq {first}, seqs start at 1")
    fields: dict[str, bytes | memoryview] = {
        "first": b"%d" % first,
        "count": b"%d" % count,
        "records": records,
    }
    return entry_id(first + count - 1), fields


def decode_reports_entry(entry: bytes | str, fields: Fields) -> ReportsEntry:
    """An entry read back from ``P:reports``, checked on its own: the ID names its last seq,
    ``count`` matches ``records``, and the records carry seqs ``first … last`` in order."""
    last = seq_of_id(entry)
    where = f"reports entry {_text(entry)}"
    first = _decimal(fields, "first", where)
    count = _decimal(fields, "count", where)
    records = _field(fields, "records", where)
    if not 1 <= count <= MAX_ENTRY_REPORTS:
        raise DropCopyFormatError(f"{where}: count {count}, expected 1 to {MAX_ENTRY_REPORTS}")
    if len(records) != count * _REPORT_SIZE:
        raise DropCopyFormatError(
            f"{where}: records is {len(records)} bytes, count {count} needs {count * _REPORT_SIZE}"
        )
    if first < 1 or first + count - 1 != last:
        raise DropCopyFormatError(
            f"{where}: first {first} and count {count} end at seq {first + count - 1}, "
            f"the ID names {last}"
        )
    seqs = np.frombuffer(records, REPORT_DTYPE)["seq"]
    expected = np.arange(first, first + count, dtype=np.uint64)
    if not np.array_equal(seqs, expected):
        bad = int(np.flatnonzero(seqs != expected)[0])
        raise DropCopyFormatError(
            f"{where}: record {bad} has seq {int(seqs[bad])}, expected {first + bad}"
        )
    return ReportsEntry(first, count, bytes(records))


# ---- the positions stream ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PositionsEntry:
    """One entry of ``P:positions``: every pair's net position as of report ``as_of``."""

    as_of: int
    positions: np.ndarray


def encode_positions_entry(
    as_of: int, positions: np.ndarray
) -> tuple[str, dict[str, bytes | memoryview]]:
    """The ID and fields of the snapshot ``positions`` (``POSITION_DTYPE``) as of ``as_of``."""
    if positions.dtype != POSITION_DTYPE:
        raise TypeError(f"expected POSITION_DTYPE records, got dtype {positions.dtype}")
    if as_of < 1:
        raise DropCopyFormatError(f"positions entry: as_of {as_of}, seqs start at 1")
    data = np.ascontiguousarray(positions).tobytes()
    return entry_id(as_of), {"as_of": b"%d" % as_of, "positions": data}


def decode_positions_entry(entry: bytes | str, fields: Fields) -> PositionsEntry:
    """An entry read back from ``P:positions``, checked on its own: the ID names ``as_of``,
    the records are whole, their padding zero, their pairs sorted and each listed once."""
    seq = seq_of_id(entry)
    where = f"positions entry {_text(entry)}"
    as_of = _decimal(fields, "as_of", where)
    data = _field(fields, "positions", where)
    if as_of != seq:
        raise DropCopyFormatError(f"{where}: as_of {as_of}, the ID names {seq}")
    if len(data) % _POSITION_SIZE:
        raise DropCopyFormatError(
            f"{where}: positions is {len(data)} bytes, not a multiple of {_POSITION_SIZE}"
        )
    positions = np.frombuffer(data, POSITION_DTYPE).copy()
    raw = positions.view(np.uint8).reshape(-1, _POSITION_SIZE)
    if raw[:, 4:8].any():
        raise DropCopyFormatError(f"{where}: padding bytes 4..8 of a position are not zero")
    keys = _pair_keys(positions["account"], positions["instrument"])
    if keys.size > 1 and not bool(np.all(keys[1:] > keys[:-1])):
        raise DropCopyFormatError(
            f"{where}: positions not sorted by (account, instrument), or a pair listed twice"
        )
    return PositionsEntry(as_of, positions)


# ---- the fold ----------------------------------------------------------------------------


def _pair_keys(account: np.ndarray, instrument: np.ndarray) -> np.ndarray:
    """One u32 per (account, instrument) that sorts as the pair does."""
    return (account.astype(np.uint32) << np.uint32(16)) | instrument.astype(np.uint32)


class PositionFold:
    """Net position per (account, instrument) from the FILL reports: ``+qty`` for BUY,
    ``-qty`` for SELL, wrapping at 64 bits. A pair stays listed once it has had a fill."""

    __slots__ = ("_keys", "_positions")

    def __init__(self) -> None:
        self._keys = np.zeros(0, np.uint32)
        self._positions = np.zeros(0, np.int64)

    def fold(self, records: np.ndarray) -> None:
        """Folds ``records`` (``REPORT_DTYPE``, in seq order) in."""
        if records.dtype != REPORT_DTYPE:
            raise TypeError(f"expected report records, got dtype {records.dtype}")
        fills = records[records["kind"] == ReportKind.FILL]
        if fills.size == 0:
            return
        qty = fills["qty"].astype(np.int64)
        side = fills["side"]
        signed = np.where(side == Side.BUY, qty, np.where(side == Side.SELL, -qty, 0))
        keys = np.concatenate([self._keys, _pair_keys(fills["account"], fills["instrument"])])
        values = np.concatenate([self._positions, signed])
        self._keys, where = np.unique(keys, return_inverse=True)
        positions = np.zeros(self._keys.size, np.int64)
        np.add.at(positions, where, values)  # int64 arithmetic wraps, as the contract says
        self._positions = positions

    def snapshot(self) -> np.ndarray:
        """Every pair that has had a fill, sorted by (account, instrument) (``POSITION_DTYPE``)."""
        out = np.zeros(self._keys.size, POSITION_DTYPE)
        out["account"] = (self._keys >> np.uint32(16)).astype(np.uint16)
        out["instrument"] = (self._keys & np.uint32(0xFFFF)).astype(np.uint16)
        out["position"] = self._positions
        return out


# ---- the cadence -------------------------------------------------------------------------


def snapshots_due(after: int, upto: int, every: int) -> range:
    """The as-of seqs of the cadence's snapshots among reports ``after+1 … upto``."""
    first = (after // every + 1) * every
    return range(first, upto + 1, every)


def closing_snapshot(last: int, every: int) -> bool:
    """Whether a pass that ended at report ``last`` takes one more snapshot as of ``last``."""
    return last > 0 and last % every != 0


def snapshot_seqs(last: int, every: int) -> list[int]:
    """The as-of seqs of every snapshot of a pass that produced reports ``1 … last``."""
    seqs = list(snapshots_due(0, last, every))
    if closing_snapshot(last, every):
        seqs.append(last)
    return seqs


# ---- helpers -----------------------------------------------------------------------------


def _text(entry: bytes | str) -> str:
    return entry.decode("ascii", "replace") if isinstance(entry, bytes) else entry


def _field(fields: Fields, name: str, where: str) -> bytes:
    lookup = cast(Mapping[Any, Any], fields)
    value = lookup.get(name.encode(), lookup.get(name))
    if value is None:
        raise DropCopyFormatError(f"{where}: no field {name!r}")
    if not isinstance(value, bytes | bytearray | memoryview):
        raise DropCopyFormatError(f"{where}: field {name!r} is not bytes")
    return bytes(value)


def _decimal(fields: Fields, name: str, where: str) -> int:
    raw = _field(fields, name, where)
    if not raw.isdigit() or len(raw) > 20:
        raise DropCopyFormatError(
            f"{where}: field {name!r} is {raw[:24]!r}, expected an ASCII decimal"
        )
    return int(raw)
