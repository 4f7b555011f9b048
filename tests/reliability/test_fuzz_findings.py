"""What the fuzzers found (docs/reliability.md, "Fuzzing"), each pinned here so it cannot
come back; the inputs themselves are also in the committed corpora (``fuzz/corpus/``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hotpath_format import MetadataError, ScenarioMeta

CORPUS = Path(__file__).resolve().parents[2] / "fuzz" / "corpus"


def _metadata_with(**instrument: object) -> bytes:
    meta = json.loads((CORPUS / "metadata_json" / "seed-minimal").read_bytes())
    meta["instruments"][0].update(instrument)
    return json.dumps(meta).encode()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1e999, "must be an integer"),
        ("x", "must be an integer"),
        (-1, r"must be an integer in \[0, 255\]"),
    ],
)
def test_display_decimals_beyond_an_integer_are_a_metadata_error(
    value: object, expected: str
) -> None:
    """atheris, metadata_json: ``"price_decimals": 1e999`` escaped the reader as an
    ``OverflowError`` (a traceback, not a refusal naming the field)."""
    for field in ("price_decimals", "qty_decimals"):
        with pytest.raises(MetadataError, match=rf"instruments\[0\]\.{field} {expected}"):
            ScenarioMeta.from_json(_metadata_with(**{field: value}), file="f.json")


def test_the_fuzzers_crash_input_is_refused() -> None:
    data = (CORPUS / "metadata_json" / "crash-price-decimals-inf").read_bytes()
    with pytest.raises(MetadataError, match="price_decimals"):
        ScenarioMeta.from_json(data, file="crash.json")


def test_absent_display_decimals_are_zero() -> None:
    meta = ScenarioMeta.from_json(_metadata_with(), file="f.json")
    assert (meta.instruments[0].price_decimals, meta.instruments[0].qty_decimals) == (0, 0)
