"""The dataclass ⇄ JSON codec on small models: what it accepts, refuses and writes, and that
its JSON Schema says the same."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import jsonschema
import pytest

from hotpath_lab.storage import ResultsError
from hotpath_lab.storage.codec import (
    Json,
    decode,
    doc,
    encode,
    extra_keys,
    field_path,
    json_schema,
    may_be_absent,
)


@dataclass(frozen=True, kw_only=True)
class Point:
    """A point."""

    x: int
    y: float


@dataclass(frozen=True, kw_only=True)
class Legacy:
    """The older shape."""

    x: float


@dataclass(frozen=True, kw_only=True)
class Shape:
    """A shape with every kind of field."""

    kind: Literal["polygon", "line"]
    corners: tuple[Point, ...] = field(metadata=doc("in order"))
    by_name: Mapping[str, Point]
    label: str | None
    anchor: Point | Legacy
    note: Json
    area: float | None = field(default=None, metadata=may_be_absent())
    others: Mapping[str, Json] = field(default_factory=dict, metadata=extra_keys())


GOOD = {
    "kind": "line",
    "corners": [{"x": 1, "y": 2}, {"x": 3, "y": 4.5}],
    "by_name": {"a.b": {"x": 0, "y": 0}},
    "label": None,
    "anchor": {"x": 2.5},
    "note": {"anything": [1, "two"]},
    "colour": "red",
}
SCHEMA = jsonschema.Draft202012Validator(json_schema(Shape, title="shape"))


def test_a_document_decodes_and_encodes_back_unchanged() -> None:
    shape = decode(Shape, GOOD, "s.json")
    assert shape.corners == (Point(x=1, y=2), Point(x=3, y=4.5))
    assert shape.anchor == Legacy(x=2.5), "union alternatives are tried in order"
    assert shape.area is None and shape.others == {"colour": "red"}
    assert encode(shape) == GOOD
    SCHEMA.validate(GOOD)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "circle"}, "kind: expected 'polygon' or 'line', got a string 'circle'"),
        ({"corners": [{"x": 1, "y": 2}, {"x": True, "y": 0}]}, "corners[1].x: expected an integer"),
        ({"by_name": {"a.b": {"x": 0}}}, 'by_name["a.b"].y: missing'),
        ({"anchor": {"y": 1}}, "anchor: matches none of Point or Legacy"),
        ({"area": None}, "area: expected a number, got null"),
        ({"corners": {"x": 1}}, "corners: expected an array, got an object"),
    ],
)
def test_a_bad_value_names_the_source_and_field_and_the_schema_agrees(
    change: dict[str, object], message: str
) -> None:
    bad = {**GOOD, **change}
    with pytest.raises(ResultsError, match=r"^s\.json: ") as err:
        decode(Shape, bad, "s.json")
    assert message in str(err.value)
    assert not SCHEMA.is_valid(bad)


def test_a_closed_class_refuses_unknown_keys() -> None:
    with pytest.raises(ResultsError, match=r"corners\[0\]\.z: unknown field \(not in Point\)"):
        decode(Shape, {**GOOD, "corners": [{"x": 1, "y": 2, "z": 3}]}, "s.json")


def test_the_schema_carries_descriptions_and_requirements() -> None:
    schema = json_schema(Shape, title="shape")
    shape = schema["$defs"]["Shape"]
    assert shape["description"] == "A shape with every kind of field."
    assert shape["properties"]["corners"]["description"] == "in order"
    assert "area" not in shape["required"] and "label" in shape["required"]
    assert shape["additionalProperties"] is True
    assert schema["$defs"]["Point"]["additionalProperties"] is False
    assert shape["properties"]["area"] == {"type": "number"}, "absent, never null"


def test_field_paths_read_like_the_document() -> None:
    assert field_path(("builds", "rust-ffi", "gc", "0.001")) == 'builds.rust-ffi.gc["0.001"]'
    assert field_path(("a", "3")) == "a[3]"
    assert field_path(()) == "(document)"
