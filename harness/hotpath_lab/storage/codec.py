"""Frozen dataclasses ⇄ JSON: validating decoder, encoder and JSON Schema, from one declaration.

The ``run.json`` model (``run_model.py``) is written once, as type-annotated dataclasses.
Everything else is derived from those annotations, so the reader, the writer and the
published schema cannot drift apart:

- ``decode(cls, data, source)`` checks every value against its annotation and builds the
  dataclasses; the first mismatch raises ``ResultsError`` naming ``source`` and the field
  path (``builds.python.latency_ns.e2e.p99: expected an integer, got a string 'x'``).
- ``encode(obj)`` turns them back into plain JSON values; ``decode`` then ``encode`` gives
  back the document it was given.
- ``json_schema(cls)`` describes the same rules as a JSON Schema (draft 2020-12).

Annotations understood: ``int`` (not ``bool``), ``float`` (an integer is a number too),
``str``, ``bool``, ``None``, ``Literal[...]``, unions (``A | B | None``; alternatives are
tried in order), ``tuple[X, ...]`` (a JSON array), ``Mapping[str, X]`` (a JSON object with
free keys), nested dataclasses (a JSON object with exactly the declared keys), and
``Json`` (any JSON value, kept as it is). Field metadata: ``may_be_absent()`` for an
optional section (missing from the document when ``None``), ``doc(text)`` for a description
in the schema, ``extra_keys()`` for a mapping that keeps the keys a class does not declare
(the class then accepts any further key).
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import json
import re
import types
from collections.abc import Mapping
from typing import Annotated, Any, Literal, TypeVar, Union, cast, get_args, get_origin

from hotpath_lab.storage.errors import ResultsError

T = TypeVar("T")

_JSON_VALUE = "any JSON value"
Json = Annotated[Any, _JSON_VALUE]
"""Any JSON value, kept as it is (provenance records, tool options: not the lab's to type)."""

_ABSENT, _EXTRA, _DOC = "hotpath.absent", "hotpath.extra", "hotpath.doc"
DRAFT = "https://json-schema.org/draft/2020-12/schema"


def doc(text: str) -> dict[str, Any]:
    """Field metadata: a description for the schema (``field(metadata=doc("…"))``)."""
    return {_DOC: text}


def may_be_absent(text: str = "") -> dict[str, Any]:
    """Field metadata of an optional section or figure, declared
    ``field(default=None, metadata=may_be_absent())``: a missing key stands for ``None``,
    and ``None`` is written by leaving the key out (never as ``null``)."""
    return {_ABSENT: True, _DOC: text}


def extra_keys(text: str = "") -> dict[str, Any]:
    """Field metadata of a ``Mapping[str, Json]`` that keeps the keys its class does not
    declare, declared ``field(default_factory=dict, metadata=extra_keys())``."""
    return {_EXTRA: True, _DOC: text}


class _Invalid(Exception):
    def __init__(self, where: tuple[str, ...], message: str, expected: str = "") -> None:
        super().__init__(message)
        self.where = where
        self.message = message
        self.expected = expected
        """What was expected, when the value itself had the wrong type."""


def _mismatch(where: tuple[str, ...], expected: str, value: object) -> _Invalid:
    return _Invalid(where, f"expected {expected}, got {_show(value)}", expected)


_IDENTIFIER = re.compile(r"^[A-Za-z_][\w-]*$")


def field_path(where: tuple[str, ...]) -> str:
    """``("builds", "python", "gc", "0.001")`` → ``builds.python.gc["0.001"]``."""
    out = ""
    for part in where:
        if _IDENTIFIER.match(part):
            out += f".{part}" if out else part
        else:
            out += f"[{part}]" if part.isdigit() else f"[{json.dumps(part)}]"
    return out or "(document)"


def decode(cls: type[T], data: object, source: str) -> T:
    """``data`` (parsed JSON) as an instance of dataclass ``cls``, checked field by field.

    Raises ``ResultsError`` naming ``source`` and the path of the first bad field.
    """
    try:
        return cast(T, _decode(cls, data, ()))
    except _Invalid as exc:
        raise ResultsError(f"{source}: {field_path(exc.where)}: {exc.message}") from None


def encode(value: object) -> Any:
    """A model instance (or any value inside one) as plain JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        extra: Mapping[str, Any] = {}
        for f in dataclasses.fields(value):
            v = getattr(value, f.name)
            if f.metadata.get(_EXTRA):
                extra = v
            elif not (v is None and f.metadata.get(_ABSENT)):
                out[f.name] = encode(v)
        for k, v in extra.items():
            out.setdefault(k, v)
        return out
    if isinstance(value, Mapping):
        return {k: encode(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [encode(v) for v in value]
    return value


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    import typing

    return typing.get_type_hints(cls, include_extras=True)


def _is_union(tp: Any) -> bool:
    return get_origin(tp) in (Union, types.UnionType)


def _decode(tp: Any, value: object, where: tuple[str, ...]) -> Any:
    origin = get_origin(tp)
    if origin is Annotated:
        return value if _JSON_VALUE in tp.__metadata__ else _decode(get_args(tp)[0], value, where)
    if tp is Any:
        return value
    if _is_union(tp):
        return _decode_union(tp, value, where)
    if origin is Literal:
        if value not in get_args(tp):
            raise _mismatch(where, _describe(tp), value)
        return value
    if origin is tuple:
        if not isinstance(value, list):
            raise _mismatch(where, "an array", value)
        (item, _ellipsis) = get_args(tp)
        return tuple(_decode(item, v, (*where, str(i))) for i, v in enumerate(value))
    if origin in (Mapping, dict):
        if not isinstance(value, dict):
            raise _mismatch(where, "an object", value)
        item = get_args(tp)[1]
        return {k: _decode(item, v, (*where, k)) for k, v in value.items()}
    if dataclasses.is_dataclass(tp):
        return _decode_dataclass(cast(type, tp), value, where)
    if not _is_instance(value, tp):
        raise _mismatch(where, _describe(tp), value)
    return value


def _decode_union(tp: Any, value: object, where: tuple[str, ...]) -> Any:
    options = get_args(tp)
    if value is None and type(None) in options:
        return None
    alternatives = [o for o in options if o is not type(None)]
    if len(alternatives) == 1:
        try:
            return _decode(alternatives[0], value, where)
        except _Invalid as exc:
            if exc.where == where and exc.expected and len(options) > 1:
                raise _mismatch(where, f"{exc.expected} or null", value) from None
            raise
    failures: list[_Invalid] = []
    for option in alternatives:
        try:
            return _decode(option, value, where)
        except _Invalid as exc:
            failures.append(exc)
    # the alternative that got furthest into the value says most about what is wrong
    deepest = max(failures, key=lambda e: len(e.where))
    names = " or ".join(_describe(o) for o in options)
    raise _Invalid(
        where,
        f"matches none of {names} (closest: {field_path(deepest.where)}: {deepest.message})",
    )


def _decode_dataclass(cls: type, value: object, where: tuple[str, ...]) -> Any:
    if not isinstance(value, dict):
        raise _mismatch(where, f"an object ({cls.__name__})", value)
    hints = _hints(cls)
    kwargs: dict[str, Any] = {}
    extra_field = None
    for f in dataclasses.fields(cls):
        if f.metadata.get(_EXTRA):
            extra_field = f.name
        elif f.name in value:
            tp = _without_none(hints[f.name]) if f.metadata.get(_ABSENT) else hints[f.name]
            kwargs[f.name] = _decode(tp, value[f.name], (*where, f.name))
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise _Invalid((*where, f.name), "missing")
    unknown = {k: v for k, v in value.items() if k not in {f.name for f in dataclasses.fields(cls)}}
    if extra_field is not None:
        kwargs[extra_field] = unknown
    elif unknown:
        raise _Invalid((*where, next(iter(unknown))), f"unknown field (not in {cls.__name__})")
    return cls(**kwargs)


def _is_instance(value: object, tp: Any) -> bool:
    if tp is type(None):
        return value is None
    if tp is bool:
        return isinstance(value, bool)
    if tp is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if tp is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if tp is str:
        return isinstance(value, str)
    raise TypeError(f"the run.json codec does not know the annotation {tp!r}")


def _describe(tp: Any) -> str:
    names = {int: "an integer", float: "a number", str: "a string", bool: "true or false"}
    if tp in names:
        return names[tp]
    if tp is type(None):
        return "null"
    if get_origin(tp) is Literal:
        return " or ".join(repr(a) for a in get_args(tp))
    if dataclasses.is_dataclass(tp):
        return cast(type, tp).__name__
    return str(tp)


def _show(value: object) -> str:
    kind = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(value), "null" if value is None else "a number"
    )
    if isinstance(value, dict | list):
        return kind
    text = repr(value)
    return f"{kind} {text[:40]}{'…' if len(text) > 40 else ''}" if value is not None else kind


# -- JSON Schema -------------------------------------------------------------------------


def json_schema(root: type, *, title: str, description: str = "") -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of dataclass ``root`` and everything it holds."""
    defs: dict[str, Any] = {}
    ref = _schema(root, defs)
    head: dict[str, Any] = {"$schema": DRAFT, "title": title}
    if description:
        head["description"] = description
    return {**head, **ref, "$defs": dict(sorted(defs.items()))}


def _schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = get_origin(tp)
    if origin is Annotated:
        return {} if _JSON_VALUE in tp.__metadata__ else _schema(get_args(tp)[0], defs)
    if tp is Any:
        return {}
    if _is_union(tp):
        return {"anyOf": [_schema(o, defs) for o in get_args(tp)]}
    if origin is Literal:
        values = list(get_args(tp))
        return {"const": values[0]} if len(values) == 1 else {"enum": values}
    if origin is tuple:
        return {"type": "array", "items": _schema(get_args(tp)[0], defs)}
    if origin in (Mapping, dict):
        return {"type": "object", "additionalProperties": _schema(get_args(tp)[1], defs)}
    if dataclasses.is_dataclass(tp):
        cls = cast(type, tp)
        if cls.__name__ not in defs:
            defs[cls.__name__] = {}  # placeholder: a class may (one day) refer to itself
            defs[cls.__name__] = _object_schema(cls, defs)
        return {"$ref": f"#/$defs/{cls.__name__}"}
    types_ = {int: "integer", float: "number", str: "string", bool: "boolean", type(None): "null"}
    if tp in types_:
        return {"type": types_[tp]}
    raise TypeError(f"the run.json codec does not know the annotation {tp!r}")


def _object_schema(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    hints = _hints(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    open_ended = False
    for f in dataclasses.fields(cls):
        if f.metadata.get(_EXTRA):
            open_ended = True
            continue
        tp = hints[f.name]
        if f.metadata.get(_ABSENT):  # absent, never null
            tp = _without_none(tp)
        else:
            required.append(f.name)
        prop = _schema(tp, defs)
        if f.metadata.get(_DOC):
            prop = {"description": f.metadata[_DOC], **prop}
        properties[f.name] = prop
    out: dict[str, Any] = {"type": "object"}
    doc = cls.__dict__.get("__doc__")
    if doc and not doc.startswith(f"{cls.__name__}("):  # not dataclass's generated signature
        out["description"] = " ".join(inspect.cleandoc(doc).split())
    out["properties"] = properties
    out["required"] = required
    out["additionalProperties"] = open_ended
    return out


def _without_none(tp: Any) -> Any:
    if not _is_union(tp):
        return tp
    rest = [o for o in get_args(tp) if o is not type(None)]
    return functools.reduce(lambda a, b: a | b, rest) if len(rest) > 1 else rest[0]
