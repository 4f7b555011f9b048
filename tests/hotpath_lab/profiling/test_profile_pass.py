"""The profile pass end to end (through the shared profiled bench run), and its refusals."""

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from hotpath_lab.options import ProfileSettings, RunOptions
from hotpath_lab.profiling.profile_pass import ProfileError, profile_build
from hotpath_lab.profiling.stacks import parse_collapsed
from hotpath_lab.storage import encode, load_run

ENGINE_MARKERS = {
    # the engine's own frames must be in each build's flame graph
    "python": ("hotpath_asyncio/risk.py", "hotpath_asyncio/engine.py"),
    "rust-ffi": ("hotpath_core::engine::",),
    "rust-native": ("hotpath_core::engine::",),
}


def profiles(run: Path) -> dict[str, Any]:
    data: dict[str, Any] = encode(load_run(run).profiles)
    return data


@pytest.mark.parametrize("build", list(ENGINE_MARKERS))
def test_each_build_has_a_well_formed_flame_graph_with_the_engines_frames(
    sample_run: Path, build: str
) -> None:
    p = profiles(sample_run)["builds"][build]
    svg = (sample_run / p["files"]["flame_svg"]).read_text()
    titles = [t.text or "" for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}title")]
    for marker in ENGINE_MARKERS[build]:
        assert any(marker in t for t in titles), (build, marker)


@pytest.mark.parametrize("build", list(ENGINE_MARKERS))
def test_each_profile_is_the_measured_code_and_says_where_the_time_went(
    sample_run: Path, build: str
) -> None:
    p = profiles(sample_run)["builds"][build]
    assert p["digest_matches_timed"] is True
    assert p["samples"] > 20
    att = p["attribution"]
    assert sum(att["by_owner"].values()) == att["samples"] == p["samples"]
    assert 0 < att["engine_share"] <= 1
    assert p["control_events_per_s"] > 0 and p["events_per_s"] > 0
    doc = json.loads((sample_run / p["files"]["speedscope"]).read_text())
    assert sum(doc["profiles"][0]["weights"]) == p["samples"]
    folded = parse_collapsed((sample_run / p["files"]["folded"]).read_text())
    assert sum(s.count for s in folded) == p["samples"]


def test_rust_builds_were_profiled_with_the_full_debug_info_copy(sample_run: Path) -> None:
    profs = profiles(sample_run)
    if profs["note"]:
        pytest.skip(f"profiling copy not built here: {profs['note'][:200]}")
    for build in ("rust-ffi", "rust-native"):
        assert "hotpath-profiling" in profs["builds"][build]["extension"]["path"]


def test_an_unknown_build_fails_with_the_targets_error(tmp_path: Path, sample_run: Path) -> None:
    scenario = Path(load_run(sample_run).scenario.path)
    with pytest.raises(ProfileError, match="unknown build 'no-such-build'"):
        options = RunOptions(builds=("no-such-build",), profile=ProfileSettings(seconds=0.1))
        profile_build("no-such-build", scenario, tmp_path, options)
    assert list(tmp_path.iterdir()) == []


def test_the_run_keeps_the_profile_settings_the_targets_ran_with(sample_run: Path) -> None:
    options = load_run(sample_run).options
    assert options.profile == ProfileSettings(seconds=1.0, rate_hz=200)
    assert options.builds == ("python", "rust-ffi", "rust-native")
