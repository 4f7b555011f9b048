"""Charging samples to owners: engine modules, FFI, driver, GC, unresolved native code."""

import pytest

from hotpath_lab.profiling.attribution import UNRESOLVED, attribute, engine_module, owner_of
from hotpath_lab.profiling.stacks import Stack, parse_frame


def stack(*frames: str, count: int = 1) -> Stack:
    return Stack(tuple(parse_frame(f) for f in frames), count)


DRIVE = "_drive (hotpath_lab/drivers/python_loop.py:99)"
NATIVE_RUN = "native_run (hotpath_toolkit/__init__.py:80)"


@pytest.mark.parametrize(
    ("frame", "module"),
    [
        ("PreTradeRisk.check (hotpath_asyncio/risk.py:40)", "risk"),
        ("DeskRisk.check (hotpath_hybrid/desk_parts.py:120)", "desk_parts"),
        ("hotpath_core::engine::desk::RiskDesk::check::h0123456789abcdef (desk.rs:100)", "desk"),
        ("hotpath_core::engine::book::Books::set_level::h0123456789abcdef (book.rs:1)", "book"),
        ("hotpath_core::engine::execution::_$LT$impl$u20$hotpath_core..engine..Engine$GT$"
         "::rest::he267729668207c2b (execution.rs:176)", "execution"),
        ("hotpath_core::engine::execution::marketable::h0123456789abcdef (execution.rs:9)",
         "execution"),
        ("hotpath_core::engine::Engine::on_event::h0123456789abcdef (mod.rs:80)", "engine"),
        ("_$LT$alloc..vec..Vec$LT$hotpath_core..format..records..ReportRecord$GT$$u20$as$u20$"
         "hotpath_core..engine..sink..ReportSink$GT$::emit::h0d48ba0bc7f6ad8b (sink.rs:16)",
         "sink"),
        ("hotpath_core::format::records::EventKind::from_u8::h0123456789abcdef (records.rs:1)",
         "format"),
    ],
)  # fmt: skip
def test_engine_frames_name_their_module(frame: str, module: str) -> None:
    assert engine_module(parse_frame(frame)) == module


def test_library_code_called_by_the_engine_counts_for_the_engine_module() -> None:
    s = stack(DRIVE, "PreTradeRisk.check (hotpath_asyncio/risk.py:40)", "dict_get (dictobject.c:1)")
    assert owner_of(s).module == "risk"


def test_a_collection_is_charged_to_the_collector_wherever_it_was_triggered() -> None:
    s = stack(DRIVE, "Book.add (hotpath_asyncio/book.py:3)", "gc_collect_main (libpython3.11.so)")
    assert owner_of(s).group == "garbage collector"


def test_ffi_frames_without_engine_below_are_the_bindings() -> None:
    s = stack(DRIVE, "pyo3::impl_::extract_argument::extract_argument::h0123456789abcdef (a.rs:1)")
    assert owner_of(s).group == "FFI / bindings"


def test_the_driver_owns_its_own_decoding() -> None:
    assert owner_of(stack(DRIVE, "s_unpack_internal (_struct.c:1)")).group == "driver (harness)"


def test_the_cores_timing_helpers_are_the_drivers_unless_the_engine_called_them() -> None:
    loop = "hotpath_bench::native::run::h0123456789abcdef (native.rs:135)"
    clock = "hotpath_core::clock::monotonic_ns::h0123456789abcdef (clock.rs:14)"
    on_new = "hotpath_core::engine::Engine::on_new::h0123456789abcdef (mod.rs:162)"
    assert owner_of(stack(NATIVE_RUN, loop, clock, "clock_gettime (libc.so.6)")).group == (
        "driver (harness)"
    )
    assert owner_of(stack(NATIVE_RUN, loop, on_new, clock)).module == "engine"


def test_a_python_wrapper_over_unlinked_native_frames_is_unresolved_not_ffi() -> None:
    s = stack(NATIVE_RUN, "clock_gettime (libc.so.6)")
    assert owner_of(s).group == UNRESOLVED
    assert owner_of(stack(NATIVE_RUN)).group == "FFI / bindings"


def test_shares_add_up_and_the_hottest_leaf_comes_first() -> None:
    att = attribute(
        [
            stack(DRIVE, "PreTradeRisk.check (hotpath_asyncio/risk.py:40)", count=6),
            stack(DRIVE, "Book.add (hotpath_asyncio/book.py:3)", count=3),
            stack(DRIVE, count=1),
        ]
    )
    assert att.samples == 10
    assert att.by_owner == {"engine: risk": 6, "engine: book": 3, "driver (harness)": 1}
    assert att.engine_share == pytest.approx(0.9)
    assert att.self_time[0] == (
        "PreTradeRisk.check (hotpath_asyncio/risk.py)",
        "engine (Python)",
        6,
    )
    summary = att.to_json(top=2)
    assert [t["samples"] for t in summary["top_self"]] == [6, 3]
    assert sum(summary["by_owner"].values()) == 10
