"""The exactly-once check of a publishing pass (``docs/dropcopy.md``): the reports stream,
read back, holds every report of the build's stream once, contiguously from seq 1, and hashes
to its digest; the snapshots are on the cadence and the last one equals the positions folded
here, independently, from the build's reports."""

from __future__ import annotations

import numpy as np

from hotpath_format import (
    DEFAULT_SNAPSHOT_EVERY,
    POSITION_DTYPE,
    REPORT_DTYPE,
    DropCopyFormatError,
    ReportKind,
    Side,
    report_digest,
    snapshot_seqs,
)
from hotpath_lab.dropcopy.client import connect
from hotpath_lab.dropcopy.readback import read_positions, read_reports

Figure = int | bool | str | None


def check_exactly_once(
    url: str, prefix: str, reports: np.ndarray, *, snapshot_every: int = DEFAULT_SNAPSHOT_EVERY
) -> dict[str, Figure]:
    """The streams under ``prefix`` at ``url`` against ``reports`` (``REPORT_DTYPE``, the
    build's whole stream). ``exactly_once`` holds when every check does; a malformed entry
    fails it with ``error`` saying which. Raises ``RedisUnreachable``."""
    if reports.dtype != REPORT_DTYPE:
        raise TypeError(f"expected report records, got dtype {reports.dtype}")
    client = connect(url)
    try:
        got = read_reports(client, prefix)
        snapshots = read_positions(client, prefix)
    except DropCopyFormatError as exc:
        return _failed(len(reports), str(exc))
    finally:
        client.close()

    produced = len(reports)
    seqs = got.records["seq"]
    unique = np.unique(seqs)
    in_range = unique[(unique >= 1) & (unique <= produced)]
    duplicates = int(seqs.size - unique.size)
    gaps = int(produced - in_range.size)
    contiguous = _contiguous(got.entries, produced)
    digest_match = len(got.records) == produced and (
        report_digest(got.records) == report_digest(reports)
    )
    expected_as_of = snapshot_seqs(produced, snapshot_every)
    cadence_match = [s.as_of for s in snapshots] == expected_as_of
    if snapshots:
        positions_match = _same_positions(snapshots[-1].positions, fold_positions(reports))
        positions_match = positions_match and snapshots[-1].as_of == produced
    else:
        positions_match = produced == 0
    return {
        "published": int(seqs.size),
        "produced": produced,
        "entries": len(got.entries),
        "contiguous": contiguous,
        "duplicates": duplicates,
        "gaps": gaps,
        "beyond": int(unique.size - in_range.size),
        "digest_match": digest_match,
        "snapshots": len(snapshots),
        "cadence_match": cadence_match,
        "positions_match": positions_match,
        "exactly_once": contiguous
        and duplicates == 0
        and gaps == 0
        and digest_match
        and cadence_match
        and positions_match,
        "error": None,
    }


def fold_positions(reports: np.ndarray) -> np.ndarray:
    """Net positions from the FILL reports in one pass (``POSITION_DTYPE``, sorted by pair,
    every pair with a fill): the reference the publishers' incremental folds must equal."""
    fills = reports[reports["kind"] == ReportKind.FILL]
    if fills.size == 0:
        return np.zeros(0, POSITION_DTYPE)
    order = np.lexsort((fills["instrument"], fills["account"]))
    fills = fills[order]
    pairs = np.stack([fills["account"].astype(np.int64), fills["instrument"].astype(np.int64)])
    starts = np.flatnonzero(np.r_[True, np.any(np.diff(pairs, axis=1) != 0, axis=0)])
    qty = fills["qty"].astype(np.int64)
    signed = np.select([fills["side"] == Side.BUY, fills["side"] == Side.SELL], [qty, -qty], 0)
    out = np.zeros(starts.size, POSITION_DTYPE)
    out["account"] = fills["account"][starts]
    out["instrument"] = fills["instrument"][starts]
    out["position"] = np.add.reduceat(signed, starts)
    return out


def _contiguous(entries: list[tuple[int, int]], produced: int) -> bool:
    """Entries from seq 1 to ``produced``, each starting right after the previous one."""
    expected = 1
    for first, last in entries:
        if first != expected:
            return False
        expected = last + 1
    return expected == produced + 1


def _same_positions(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and all(
        np.array_equal(a[name], b[name]) for name in ("account", "instrument", "position")
    )


def _failed(produced: int, error: str) -> dict[str, Figure]:
    return {
        "published": None,
        "produced": produced,
        "entries": None,
        "contiguous": False,
        "duplicates": None,
        "gaps": None,
        "beyond": None,
        "digest_match": False,
        "snapshots": None,
        "cadence_match": False,
        "positions_match": False,
        "exactly_once": False,
        "error": error,
    }
