"""The record contract is declared twice, by hand: ``hotpath_format`` (Python) and
``hotpath_core::format`` (Rust). The Rust build reports its declaration
(``hotpath_rs.contract()``, read from the Rust types), and every value must be equal: code
enums, constants, record layouts field by field, and the digest of a report stream."""

from __future__ import annotations

import inspect
from enum import IntEnum
from typing import Any

import numpy as np
import pytest
from tests.hotpath_asyncio.streams import ADVERSARIAL, REALISTIC, Profile, random_scenario

from hotpath_format import (
    EVENT_DTYPE,
    EVENT_STRUCT,
    REPORT_DTYPE,
    REPORT_STRUCT,
    VENUE_ANY,
    ReportKind,
    codes,
    files,
    report_digest,
    wire,
)

hotpath_rs = pytest.importorskip("hotpath_rs")


@pytest.fixture(scope="module")
def rust() -> dict[str, Any]:
    contract: dict[str, Any] = hotpath_rs.contract()
    return contract


def python_enums() -> dict[str, type[IntEnum]]:
    """Every code enum ``hotpath_format.codes`` declares."""
    return {
        name: obj
        for name, obj in vars(codes).items()
        if inspect.isclass(obj) and issubclass(obj, IntEnum) and obj is not IntEnum
    }


def layout(dtype: np.dtype[Any]) -> list[tuple[str, int, int, str]]:
    """``(name, offset, size, kind)`` per field, as ``contract()`` gives them (a sub-array
    field shows its element kind and shape, so it cannot pass for plain bytes)."""
    assert dtype.names is not None
    out = []
    for name in dtype.names:
        field, offset = dtype.fields[name][:2]  # type: ignore[index]
        kind = field.kind if field.subdtype is None else f"{field.base.kind}{field.shape}"
        out.append((name, offset, field.itemsize, kind))
    return out


def test_both_sides_declare_the_same_code_enums(rust: dict[str, Any]) -> None:
    assert sorted(python_enums()) == sorted(rust["codes"])


@pytest.mark.parametrize("enum", sorted(python_enums()))
def test_each_code_enum_has_the_same_names_and_values(rust: dict[str, Any], enum: str) -> None:
    python = {member.name: member.value for member in python_enums()[enum]}
    assert python == rust["codes"][enum]


def test_constants_and_file_magic_are_equal(rust: dict[str, Any]) -> None:
    assert rust["constants"] == {
        "VENUE_ANY": VENUE_ANY,
        "FORMAT_VERSION": files.FORMAT_VERSION,
        "HEADER_SIZE": files.HEADER_SIZE,
        "WIRE_HEADER_SIZE": wire.WIRE_HEADER_SIZE,
        "WIRE_VERSION": wire.WIRE_VERSION,
        "WIRE_MAX_BATCH": wire.WIRE_MAX_BATCH,
        "WIRE_MAX_TEXT": wire.WIRE_MAX_TEXT,
    }
    assert rust["magic"] == {"events": files.EVENT_MAGIC, "reports": files.REPORT_MAGIC}


@pytest.mark.parametrize(
    ("record", "dtype", "struct_size"),
    [("event", EVENT_DTYPE, EVENT_STRUCT.size), ("report", REPORT_DTYPE, REPORT_STRUCT.size)],
)
def test_record_layouts_are_equal_field_by_field(
    rust: dict[str, Any], record: str, dtype: np.dtype[Any], struct_size: int
) -> None:
    declared = rust["records"][record]
    assert dtype.itemsize == struct_size == declared["size"]
    assert layout(dtype) == [tuple(f) for f in declared["fields"]]
    # multi-byte fields little-endian, as the Rust side refuses to build otherwise
    assert all(dtype.fields[n][0].str[0] in "<|" for n in dtype.names or ())  # type: ignore[index]


@pytest.mark.parametrize(("seed", "profile"), [(11, REALISTIC), (12, ADVERSARIAL)])
def test_report_digests_are_equal_on_a_varied_stream(seed: int, profile: Profile) -> None:
    meta, records = random_scenario(seed, 4000, profile)
    engine = hotpath_rs.Engine(meta.to_json())
    engine.replay(records)
    reports = engine.report_array()
    kinds = {ReportKind(int(k)) for k in np.unique(reports["kind"])}
    assert len(reports) > 1000 and len(kinds) >= 4, "a stream with little in it proves little"
    assert engine.digest() == report_digest(reports)
    assert report_digest(hotpath_rs.replay(meta.to_json(), records)) == engine.digest()


def test_metadata_field_types_are_one_table(rust: dict[str, Any]) -> None:
    """Both readers refuse the same metadata values (docs/formats.md, "Metadata field
    types"): the Rust table, read from its types, equals the Python one entry by entry."""
    from hotpath_format.meta_fields import METADATA_FIELDS

    python = [(path, name, lo, hi) for path, (name, lo, hi) in METADATA_FIELDS]
    assert [tuple(f) for f in rust["metadata_fields"]] == python
