"""Parsing py-spy's collapsed stacks: names, categories, the replay cut, bad input."""

from collections import Counter

import pytest

from hotpath_lab.profiling.stacks import (
    NATIVE_ONLY,
    Category,
    StackFormatError,
    demangle_rust,
    focus_on_replays,
    parse_collapsed,
    parse_frame,
    to_collapsed,
)

TARGET = "hotpath_lab/profiling/target.py"
REPLAY = f"<module> ({TARGET}:1);replays ({TARGET}:70);measured_replay ({TARGET}:50)"
RAW = (
    "\n".join(
        [
            f"0x7f00 (libc.so.6);{REPLAY};run_pass (hotpath_lab/drivers/python_loop.py:66);"
            "PreTradeRisk.check (hotpath_asyncio/risk.py:40) 7",
            f"{REPLAY};native_run (hotpath_toolkit/__init__.py:80);"
            "hotpath_core::engine::book::Books::set_level::h0123456789abcdef (book.rs:114) 5",
            f"<module> ({TARGET}:1);_find_and_load (<frozen importlib._bootstrap>:1176) 4",
            "0x7f00 (libc.so.6);gc_collect_main (libpython3.11.so.1.0) 3",
            f"{REPLAY};native_run (hotpath_toolkit/__init__.py:80);0x3 (?);"
            "clock_gettime (libc.so.6) 2",
        ]
    )
    + "\n"
)


@pytest.mark.parametrize(
    ("mangled", "readable"),
    [
        (
            "hotpath_core::engine::execution::_$LT$impl$u20$hotpath_core..engine..Engine$GT$"
            "::rest::he267729668207c2b",
            "hotpath_core::engine::execution::<impl hotpath_core::engine::Engine>::rest",
        ),
        (
            "_$LT$alloc..vec..Vec$LT$T$C$A$GT$$u20$as$u20$core..ops..Drop$GT$::drop::h0011223344556677",
            "<alloc::vec::Vec<T,A> as core::ops::Drop>::drop",
        ),
        (
            "hotpath_core::engine::live::LiveOrders::cap_queue::_$u7b$$u7b$closure$u7d$$u7d$"
            "::ha84c8cdf3672a780",
            "hotpath_core::engine::live::LiveOrders::cap_queue::{{closure}}",
        ),
        ("plain_function", "plain_function"),
    ],
)
def test_rust_legacy_names_are_demangled_without_their_hash(mangled: str, readable: str) -> None:
    assert demangle_rust(mangled) == readable


@pytest.mark.parametrize(
    ("text", "name", "file", "category"),
    [
        ("PreTradeRisk.check (hotpath_asyncio/risk.py:40)", "PreTradeRisk.check",
         "hotpath_asyncio/risk.py", Category.ENGINE_PYTHON),
        ("hotpath_core::engine::Engine::on_event::h0123456789abcdef (mod.rs:80)",
         "hotpath_core::engine::Engine::on_event", "mod.rs", Category.ENGINE_RUST),
        ("pyo3::impl_::extract_argument::extract_argument::h0123456789abcdef (x.rs:3)",
         "pyo3::impl_::extract_argument::extract_argument", "x.rs", Category.BINDINGS),
        ("native_run (hotpath_toolkit/__init__.py:80)", "native_run",
         "hotpath_toolkit/__init__.py", Category.BINDINGS),
        ("replay (hotpath_rs/__init__.py:66)", "replay", "hotpath_rs/__init__.py",
         Category.BINDINGS),
        ("hotpath_toolkit::native::native_run::h0123456789abcdef (native.rs:60)",
         "hotpath_toolkit::native::native_run", "native.rs", Category.BINDINGS),
        ("_native::engine::PyEngine::on_event::h0123456789abcdef (engine.rs:40)",
         "_native::engine::PyEngine::on_event", "engine.rs", Category.BINDINGS),
        ("_drive (hotpath_lab/drivers/python_loop.py:99)", "_drive",
         "hotpath_lab/drivers/python_loop.py", Category.HARNESS),
        ("hotpath_bench::native::run::h0123456789abcdef (native.rs:135)",
         "hotpath_bench::native::run", "native.rs", Category.HARNESS),
        ("hotpath_core::clock::monotonic_ns::h0123456789abcdef (clock.rs:14)",
         "hotpath_core::clock::monotonic_ns", "clock.rs", Category.HARNESS),
        ("hotpath_core::resident::resident_reports::h0123456789abcdef (resident.rs:22)",
         "hotpath_core::resident::resident_reports", "resident.rs", Category.HARNESS),
        ("_$LT$hotpath_core..stamps..StampProbe$u20$as$u20$hotpath_core..engine..probe.."
         "StageProbe$GT$::validated::h0123456789abcdef (stamps.rs:64)",
         "<hotpath_core::stamps::StampProbe as hotpath_core::engine::probe::StageProbe>"
         "::validated", "stamps.rs", Category.HARNESS),
        ("gc_collect_main (libpython3.11.so.1.0)", "gc_collect_main", "libpython3.11.so.1.0",
         Category.GC),
        ("s_unpack_internal (_struct.c:1558)", "s_unpack_internal", "_struct.c",
         Category.RUNTIME),
        ("BaseEventLoop._run_once (asyncio/base_events.py:1922)", "BaseEventLoop._run_once",
         "asyncio/base_events.py", Category.RUNTIME),
        ("no_location_at_all", "no_location_at_all", "", Category.OTHER),
    ],
)  # fmt: skip
def test_frames_get_a_name_file_and_owner_category(
    text: str, name: str, file: str, category: Category
) -> None:
    frame = parse_frame(text)
    assert (frame.name, frame.file, frame.category) == (name, file, category)


def test_the_profile_keeps_what_ran_below_the_replay_frame() -> None:
    focused = focus_on_replays(parse_collapsed(RAW))
    roots: Counter[str] = Counter()
    for s in focused.stacks:
        roots[s.frames[0].name] += s.count
    assert roots == {"run_pass": 7, "native_run": 5 + 2, NATIVE_ONLY: 3}
    assert focused.outside_samples == 4  # the import, outside every replay
    assert focused.native_only_samples == 3
    assert focused.samples == 7 + 5 + 2 + 3


def test_addresses_in_no_module_are_dropped_but_library_addresses_stay() -> None:
    stacks = parse_collapsed(RAW)
    names = [f.name for s in stacks for f in s.frames]
    assert "0x3" not in names
    assert "0x7f00" in names


def test_stacks_that_lost_their_python_frames_keep_the_collector_visible() -> None:
    focused = focus_on_replays(parse_collapsed(RAW))
    gc = [s for s in focused.stacks if s.frames[0].name == NATIVE_ONLY]
    assert [f.name for f in gc[0].frames] == [NATIVE_ONLY, "gc_collect_main"]


def test_identical_stacks_after_the_cut_are_merged() -> None:
    doubled = RAW + RAW.splitlines()[0].replace(" 7", " 1") + "\n"
    focused = focus_on_replays(parse_collapsed(doubled))
    assert {s.frames[-1].name: s.count for s in focused.stacks}["PreTradeRisk.check"] == 8


def test_collapsed_output_round_trips_with_readable_names() -> None:
    focused = focus_on_replays(parse_collapsed(RAW))
    again = parse_collapsed(to_collapsed(focused.stacks))
    assert sum(s.count for s in again) == focused.samples
    assert "hotpath_core::engine::book::Books::set_level (book.rs)" in to_collapsed(focused.stacks)


@pytest.mark.parametrize("line", ["frame;frame", "frame;frame twelve", "   7x"])
def test_a_line_without_a_sample_count_is_refused_with_its_line_number(line: str) -> None:
    with pytest.raises(StackFormatError, match=r"prof\.txt:2: no sample count"):
        parse_collapsed("a;b 1\n" + line + "\n", source="prof.txt")
