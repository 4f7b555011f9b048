"""Damaged inputs, as a new user might hand them over, for every decoder that reads outside
input: the scenario file (read by the Python reader, and by the Rust builds after it), its
metadata JSON (the Python reader and the Rust one, which must agree) and the Binance
importer. Generated from a seed, so a failure names a damage that can be made again.

``python -m tests.reliability.damages`` prints each decoder's outcomes by exit code.
"""

from __future__ import annotations

import copy
import gzip
import json
import random
import struct
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from hotpath_format import EVENT_DTYPE
from hotpath_format.files import EVENT_MAGIC, encode_file
from hotpath_format.meta import canonical_json

META: dict[str, Any] = {
    "schema": 1,
    "name": "damaged",
    "instruments": [
        {"id": 0, "symbol": "X", "tick_size": 1, "lot_size": 1, "max_order_qty": 1000,
         "max_price": 100000, "band_bps": 500, "price_decimals": 2, "qty_decimals": 8}
    ],
    "venues": [{"id": 0, "name": "v"}, {"id": 1, "name": "w"}],
    "accounts": [
        {"id": 0, "name": "a",
         "limits": {"max_order_notional": 10**6, "max_gross_notional": 10**7,
                    "max_position": [100], "rate_limit_count": 10,
                    "rate_limit_window_ns": 10**9, "max_open_orders": 5, "max_loss": 10**5}}
    ],
}  # fmt: skip

SNAPSHOT = '1000 {"lastUpdateId":10,"bids":[["100.00","1.0"]],"asks":[["101.00","1.0"]]}'
LINES = [
    SNAPSHOT,
    '2000 {"stream":"btcusdt@depth@100ms","data":{"U":11,"u":12,"b":[["100.00","2.0"]],"a":[]}}',
    '3000 {"stream":"btcusdt@trade","data":{"p":"100.50","q":"0.1","m":true}}',
    '4000 {"stream":"btcusdt@bookTicker","data":{"u":13,"b":"100.00","B":"2.0","a":"101.00",'
    '"A":"1.0"}}',
]
ODD_VALUES: list[Any] = [
    None, True, -1, 0, 1.5, 1e308, 2**63, 2**64, 2**70, -(2**63) - 1, "", "1", "x" * 300,
    [], {}, [1, 2], "\u0000", "é", 10**400,
]  # fmt: skip
ODD_DECIMALS = [
    "", "-1", "1e5", "0x10", "1.", ".5", "1.2.3", "9" * 30, "92233720368547758.08",
    "92233720368.54775808", "1.123456789", "NaN", " 1", "１", "0", "0.00",
]  # fmt: skip


@dataclass(frozen=True)
class Damage:
    decoder: str
    """``scenario``, ``metadata`` or ``binance``."""
    name: str
    """What was done, to make it again."""
    write: Callable[[Path], Path]
    """Writes the damaged input under a directory; returns what to hand the CLI."""


def records(n: int = 8) -> np.ndarray:
    r = np.zeros(n, EVENT_DTYPE)
    r["ts"] = np.arange(n, dtype=np.uint64) * 1000
    r["kind"] = [1, 1, 2, 3, 3, 4, 5, 3][:n]
    r["side"] = 1
    r["price"] = 100
    r["qty"] = 1
    r["id"] = np.arange(n, dtype=np.uint64)
    r["order_type"] = 1
    return r


def file_bytes(meta: dict[str, Any] | bytes = META, recs: np.ndarray | None = None) -> bytes:
    raw = meta if isinstance(meta, bytes) else canonical_json(meta)
    chunks = encode_file(EVENT_MAGIC, raw, records() if recs is None else recs)
    return b"".join(bytes(c) for c in chunks)


def _bytes_damage(decoder: str, name: str, data: bytes) -> Damage:
    def write(d: Path) -> Path:
        p = d / "s.hpe"
        p.write_bytes(data)
        return p

    return Damage(decoder, name, write)


def scenario_damages(rng: random.Random, n: int) -> Iterator[Damage]:
    good = file_bytes()
    size = len(good)
    header = struct.Struct("<8sHHIQI36x")
    for i in range(n):
        what = rng.randrange(9)
        data = bytearray(good)
        if what == 0:
            cut = rng.randrange(size)
            yield _bytes_damage("scenario", f"truncated at {cut}", bytes(data[:cut]))
            continue
        if what == 1:
            at = rng.randrange(size)
            data[at] ^= 1 << rng.randrange(8)
            name = f"bit flip at {at}"
        elif what == 2:
            at = rng.randrange(64)
            span = rng.randrange(1, 9)
            data[at : at + span] = rng.randbytes(span)[: len(data[at : at + span])]
            name = f"header bytes {at}..{at + span} random"
        elif what == 3:
            fields = list(header.unpack_from(good))
            f = rng.choice([1, 2, 3, 4, 5])
            fields[f] = rng.choice(
                [0, 1, 2**16 - 1, 2**32 - 1, 2**64 - 1, 2**63, 48, 64, fields[f] + 1]
            )
            bits = {1: 16, 2: 16, 3: 32, 4: 64, 5: 32}[f]
            fields[f] %= 1 << bits
            data[:64] = header.pack(*fields)
            name = f"header field {f} = {fields[f]}"
        elif what == 4:
            r = records()
            j = rng.randrange(len(r))
            field = rng.choice(["kind", "ts", "side", "price", "qty", "venue", "instrument"])
            info = np.iinfo(r.dtype[field])
            r[field][j] = rng.choice([info.min, info.max, 0, 6, 32, 255 % (info.max + 1)])
            data = bytearray(file_bytes(META, r))
            name = f"record {j} {field} = {r[field][j]}"
        elif what == 5:
            extra = rng.randrange(1, 200)
            data += rng.randbytes(extra)
            name = f"{extra} bytes appended"
        elif what == 6:
            at = 64 + rng.randrange(len(canonical_json(META)))
            data[at] = rng.randrange(256)
            name = f"metadata byte {at} = {data[at]}"
        elif what == 7:
            data = bytearray(rng.randbytes(rng.randrange(0, 400)))
            name = f"random bytes ({len(data)})"
        else:
            data[:8] = rng.choice([b"HPREPRT\0", b"\0" * 8, b"HPEVENT\1"])
            name = f"magic {bytes(data[:8])!r}"
        yield _bytes_damage("scenario", f"{i}: {name}", bytes(data))


def _set(d: dict[str, Any], path: list[str | int], value: Any) -> None:
    node: Any = d
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def _leaves(d: Any, at: list[str | int]) -> Iterator[list[str | int]]:
    if isinstance(d, dict):
        for k, v in d.items():
            yield from _leaves(v, [*at, k])
    elif isinstance(d, list):
        for i, v in enumerate(d):
            yield from _leaves(v, [*at, i])
    if at:
        yield at


def metadata_variants(rng: random.Random, n: int) -> Iterator[tuple[str, bytes]]:
    """``(what was done, metadata JSON bytes)``."""
    leaves = list(_leaves(META, []))
    for i in range(n):
        what = rng.randrange(5)
        d = copy.deepcopy(META)
        if what <= 2:
            path = rng.choice(leaves)
            value = rng.choice(ODD_VALUES)
            _set(d, path, value)
            text = json.dumps(d).encode() if value != 10**400 else None
            if text is None:
                raw = json.dumps(d, default=str).replace('"' + str(10**400) + '"', str(10**400))
                text = raw.encode()
            yield f"{i}: {'.'.join(map(str, path))} = {str(value)[:30]}", text
        elif what == 3:
            path = rng.choice(leaves)
            parent: Any = d
            for key in path[:-1]:
                parent = parent[key]
            del parent[path[-1]]
            yield f"{i}: {'.'.join(map(str, path))} removed", json.dumps(d).encode()
        else:
            raw = bytearray(json.dumps(d).encode())
            at = rng.randrange(len(raw))
            raw[at] = rng.randrange(256)
            yield f"{i}: JSON byte {at} = {raw[at]}", bytes(raw)


def metadata_damages(rng: random.Random, n: int) -> Iterator[Damage]:
    for name, raw in metadata_variants(rng, n):
        yield _bytes_damage("metadata", name, file_bytes(raw))


def binance_damages(rng: random.Random, n: int) -> Iterator[Damage]:
    for i in range(n):
        what = rng.randrange(6)
        lines = list(LINES)
        gz: bytes | None = None
        if what == 0:
            j = rng.randrange(len(lines))
            line = lines[j]
            at = rng.randrange(len(line))
            lines[j] = line[:at] + chr(rng.randrange(32, 127)) + line[at + 1 :]
            name = f"line {j + 1} char {at}"
        elif what == 1:
            j = rng.randrange(1, len(lines))
            lines[j] = lines[j].replace('"100.50"', json.dumps(rng.choice(ODD_DECIMALS)))
            lines[j] = lines[j].replace('"2.0"', json.dumps(rng.choice(ODD_DECIMALS)), 1)
            name = f"line {j + 1} decimals"
        elif what == 2:
            j = rng.randrange(len(lines))
            lines[j] = rng.choice(["", " ", "x", "1 ", "-1 {}", f"{2**64} {{}}", "1 null"])
            name = f"line {j + 1} replaced"
        elif what == 3:
            whole = gzip.compress(("\n".join(lines) + "\n").encode(), mtime=0)
            cut = rng.randrange(len(whole))
            gz = whole[:cut]
            name = f"gzip cut at {cut}"
        elif what == 4:
            j = rng.randrange(1, len(lines))
            key = rng.choice(["U", "u", "m", "p", "q", "b", "a", "data", "stream"])
            value = json.dumps(rng.choice(ODD_VALUES), default=str)
            lines[j] = lines[j].replace(f'"{key}":', f'"{key}":{value},"_{key}":', 1)
            name = f"line {j + 1} {key} = {value[:30]}"
        else:
            gz = rng.choice([b"", b"\x1f\x8b", rng.randbytes(rng.randrange(1, 64))])
            name = f"not gzip ({len(gz)} bytes)"
        data = gz if gz is not None else gzip.compress(("\n".join(lines) + "\n").encode(), mtime=0)

        def write(d: Path, data: bytes = data) -> Path:
            (d / "caps" / "spot").mkdir(parents=True, exist_ok=True)
            (d / "caps" / "spot" / "btcusdt_20240808.gz").write_bytes(data)
            return d / "caps"

        yield Damage("binance", f"{i}: {name}", write)


def all_damages(per_decoder: int, seed: int = 14) -> list[Damage]:
    rng = random.Random(seed)
    return [
        *scenario_damages(rng, per_decoder),
        *metadata_damages(rng, per_decoder),
        *binance_damages(rng, per_decoder),
    ]


def cli_args(damage: Damage, target: Path, d: Path) -> list[str]:
    """A Binance capture is imported; a scenario file is shadowed through the Python and
    Rust builds (both readers of its metadata, and the same reports if it is read)."""
    if damage.decoder == "binance":
        out = str(d / "out.hpe")
        return ["scenario", "import", "binance", str(target), "--out", out, "--market-only"]
    return ["shadow", "--scenario", str(target), "--builds", "python,rust-ffi"]


def outcome(damage: Damage, d: Path) -> int:
    """The CLI's exit code on ``damage``; a traceback escaping ``main`` is reported as 1,
    as the process would exit."""
    from hotpath_lab.cli import main

    target = damage.write(d)
    try:
        return main(cli_args(damage, target, d))
    except SystemExit as exc:
        return int(exc.code or 0)
    except Exception:
        return 1


def counts(per_decoder: int, root: Path) -> dict[str, Counter[int]]:
    out: dict[str, Counter[int]] = {}
    for i, damage in enumerate(all_damages(per_decoder)):
        d = root / str(i)
        d.mkdir()
        out.setdefault(damage.decoder, Counter())[outcome(damage, d)] += 1
    return out


if __name__ == "__main__":  # pragma: no cover - the figures for the note
    import contextlib
    import io
    import sys
    import tempfile

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    quiet = io.StringIO()
    with (
        tempfile.TemporaryDirectory() as tmp,
        contextlib.redirect_stderr(quiet),
        contextlib.redirect_stdout(quiet),
    ):
        table = counts(n, Path(tmp))
    for decoder, by_code in table.items():
        codes = ", ".join(f"exit {c}: {k}" for c, k in sorted(by_code.items()))
        print(f"{decoder:<9} {sum(by_code.values())} inputs  {codes}")
