"""A record of a kind the file reader refuses is refused by every in-memory way in too
(``Engine.on_event``/``reject``/``replay``, ``replay``, ``DetachedEngine``,
``replay_threads``, the Python build's ``Engine.handle``), raising the project's
``FormatError``, never ignored: one kind rule for files, frames and memory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from tests.hotpath_asyncio.support import BUY, make_meta, new

import hotpath_asyncio
from hotpath_format import EVENT_DTYPE, FormatError, ScenarioMeta

hotpath_rs = pytest.importorskip("hotpath_rs")

BAD_KINDS = [0, 6, 31, 32, 63, 255]


def records_with_kind(kind: int) -> np.ndarray:
    r = np.zeros(3, EVENT_DTYPE)
    r["kind"] = [1, kind, 1]
    r["side"] = 1
    r["price"] = 100
    r["qty"] = 1
    return r


def buffer(records: np.ndarray) -> Any:
    """What the package's wrappers take: ``EVENT_DTYPE`` records (viewed as bytes inside)."""
    return records


def meta() -> ScenarioMeta:
    return make_meta()


ENTRIES: dict[str, Callable[[int], object]] = {
    "Engine.on_event": lambda kind: hotpath_rs.Engine(meta().to_json()).on_event(
        0, 0, 1, 0, 100, 1, 0, 0, kind, BUY, 1, 0
    ),
    "Engine.reject": lambda kind: hotpath_rs.Engine(meta().to_json()).reject(
        0, 0, 1, 0, 100, 1, 0, 0, kind, BUY, 1, 0, 1
    ),
    "Engine.replay": lambda kind: hotpath_rs.Engine(meta().to_json()).replay(
        buffer(records_with_kind(kind))
    ),
    "replay": lambda kind: hotpath_rs.replay(meta().to_json(), buffer(records_with_kind(kind))),
    "DetachedEngine.on_event": lambda kind: hotpath_rs.DetachedEngine(meta().to_json()).on_event(
        0, 0, 1, 0, 100, 1, 0, 0, kind, BUY, 1, 0
    ),
    "DetachedEngine.replay_batch": lambda kind: hotpath_rs.DetachedEngine(
        meta().to_json()
    ).replay_batch(records_with_kind(kind).view(np.uint8)),
    "replay_threads": lambda kind: hotpath_rs.replay_threads(
        meta().to_json(), [[buffer(records_with_kind(kind))]]
    ),
}


@pytest.mark.parametrize("kind", BAD_KINDS)
@pytest.mark.parametrize("entry", sorted(ENTRIES))
def test_every_rust_entry_refuses_an_unknown_kind(entry: str, kind: int) -> None:
    with pytest.raises(hotpath_rs.FormatError, match=f"unknown event kind {kind}"):
        ENTRIES[entry](kind)


def test_a_buffer_names_the_record_and_its_offset() -> None:
    with pytest.raises(hotpath_rs.FormatError, match=r"record 1 \(byte offset 48\)"):
        hotpath_rs.replay(meta().to_json(), buffer(records_with_kind(9)))


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_the_python_build_refuses_it_as_well(kind: int) -> None:
    engine = hotpath_asyncio.Engine(meta())
    with pytest.raises(FormatError, match=f"event 4: unknown event kind {kind}$"):
        engine.handle(4, 0, 1, 0, 100, 1, 0, 0, kind, BUY, 1, 0)
    with pytest.raises(FormatError, match=f"event 1: unknown event kind {kind}$"):
        hotpath_asyncio.replay(meta(), records_with_kind(kind))


def test_known_kinds_still_go_through_every_entry() -> None:
    engine = hotpath_rs.Engine(meta().to_json())
    engine.on_event(0, *new(1, BUY, 100, 1))
    engine.replay(buffer(records_with_kind(2)), 1)
    assert engine.report_count() >= 1
