"""Generating scenario files: determinism, the cache, sizes, and the bad-request coverage."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from hotpath_format import (
    EVENT_DTYPE,
    EventKind,
    OrderType,
    Reason,
    file_digest,
    read_events,
)
from hotpath_lab.scenarios import (
    ManifestError,
    build_scenario,
    cache_dir,
    cached_path,
    generate_records,
    generator_version,
    load_manifest,
)

pytest.importorskip("hotpath_toolkit")  # the generator
hotpath_rs = pytest.importorskip("hotpath_rs")  # the engine, for the estimate check

# The whole smoke file (header, metadata, records) for seed 1, scale 1. It changes when
# scenarios/smoke.toml or the generator's models change: then bump MODEL_REVISION in
# harness/rust/hotpath-scenario/src/lib.rs (so caches are invalidated) and update this.
SMOKE_DIGEST = "793abbe6b7d5b9883a1345bdb767d49c2ea6016a1165a58f5c27b227e39edaa5"

# Small scales keep the big scenarios quick; the flash crash needs enough of its crash.
SCALES = {"smoke": 1.0, "calm": 0.05, "volatility": 0.02, "flash-crash": 0.25, "multi-venue": 0.05}


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_scenario("smoke", out=tmp_path_factory.mktemp("smoke") / "smoke.hpe")


def test_same_seed_and_scale_give_the_same_bytes(smoke: Path, tmp_path: Path) -> None:
    again = build_scenario("smoke", out=tmp_path / "again.hpe")
    assert file_digest(again) == file_digest(smoke)
    assert file_digest(smoke) == SMOKE_DIGEST


def test_another_seed_gives_other_bytes(smoke: Path, tmp_path: Path) -> None:
    other = build_scenario("smoke", seed=2, out=tmp_path / "seed2.hpe")
    assert file_digest(other) != file_digest(smoke)
    assert read_events(other).meta.raw["source"]["seed"] == 2


def test_the_cache_is_keyed_reused_and_repaired() -> None:
    path = build_scenario("smoke", scale=0.5)
    assert path == cached_path("smoke", scale=0.5)
    assert path.parent == cache_dir() and str(cache_dir()).startswith(os.environ["HOTPATH_CACHE"])
    version = generator_version().split()[-1].replace("+", "-")
    assert path.name.startswith("smoke-seed1-x0p5-") and path.name.endswith(f"-g{version}.hpe")
    stamp = path.stat().st_mtime_ns
    calls: list[tuple[int, int]] = []
    assert build_scenario("smoke", scale=0.5, progress=lambda d, t: calls.append((d, t))) == path
    assert path.stat().st_mtime_ns == stamp, "a valid cached file is reused, not rewritten"
    assert calls == [(2, 2)]
    assert cached_path("smoke", scale=0.5, seed=3) != path
    # A damaged cache entry is regenerated, not served.
    path.write_bytes(path.read_bytes()[:-10])
    calls.clear()
    assert build_scenario("smoke", scale=0.5, progress=lambda d, t: calls.append((d, t))) == path
    assert calls == [(0, 2), (1, 2), (2, 2)]
    assert len(read_events(path).records) > 0


def test_a_changed_manifest_is_a_different_cache_entry(tmp_path: Path) -> None:
    src = load_manifest("smoke").path.read_text()
    edited = tmp_path / "smoke.toml"
    edited.write_text(src.replace("bad_share = 0.02", "bad_share = 0.03"))
    assert cached_path(edited) != cached_path("smoke")


@pytest.mark.parametrize("scale", [0.0, -1.0, float("nan"), 1000.0])
def test_scale_is_checked(scale: float) -> None:
    with pytest.raises(ValueError, match="scale"):
        build_scenario("smoke", scale=scale)


def test_a_config_refused_at_generation_still_names_the_manifest_key(tmp_path: Path) -> None:
    # Loading checks the config; a config changed after loading is refused by the same
    # rules when generating, and still named by manifest key.
    src = load_manifest("smoke").path.read_text()
    bad = tmp_path / "bad.toml"
    bad.write_text(
        src.replace("correlation = 0.8", "correlation = 0.8\nmin_levels = 40\nmax_levels = 42")
    )
    m = load_manifest(bad)
    m.config["market"]["max_levels"] = 20
    with pytest.raises(ManifestError, match=r"bad\.toml: market\.max_levels: must be between") as e:
        generate_records(m, seed=1, scale=1.0)
    assert e.value.config_path == "market.max_levels"


@pytest.mark.parametrize("name", list(SCALES))
def test_every_manifest_generates_a_valid_file(name: str) -> None:
    path = build_scenario(name, scale=SCALES[name])
    f = read_events(path)  # checks kinds and timestamp order
    r = f.records
    stats = f.meta.raw["source"]["stats"]
    kinds = Counter(EventKind(k).name for k in r["kind"])
    assert dict(kinds) == stats["records"]
    assert kinds["BOOK_DELTA"] > kinds["TRADE"] > 0
    assert kinds["NEW_ORDER"] > 0 and kinds["REPLACE"] > 0 and kinds["CANCEL"] > 0
    requests = kinds["NEW_ORDER"] + kinds["REPLACE"] + kinds["CANCEL"]
    assert 0.03 < requests / len(r) < 0.5, "order flow is a minority of the stream"
    assert sum(stats["estimated_rejects"].values()) < 0.05 * requests, "most requests pass"
    span = (int(r["ts"][-1]) - int(r["ts"][0])) / 1e9
    assert span == pytest.approx(load_manifest(name).duration_s * SCALES[name], rel=0.05)
    if name != "calm":  # calm has rare bursts; a 5 % slice of it may have none
        assert stats["market"]["bursts"] >= 1
        assert 10 <= stats["market"]["peak_burst_multiplier"] <= 50


def test_flash_crash_trips_a_market_maker_kill_switch() -> None:
    f = read_events(build_scenario("flash-crash", scale=SCALES["flash-crash"]))
    stats = f.meta.raw["source"]["stats"]
    makers = {0, 1, 2}
    assert makers & set(stats["estimated_halts"]), stats["estimated_halts"]
    trades = f.records[f.records["kind"] == EventKind.TRADE]
    btc = trades[trades["instrument"] == 0]["price"]
    assert btc.min() < 0.96 * btc[:100].mean(), "prices fall several percent"


def test_every_reject_reason_has_its_bad_requests(smoke: Path) -> None:
    stats = read_events(smoke).meta.raw["source"]["stats"]
    for reason in Reason:
        assert stats["intended_rejects"].get(reason.name, 0) > 0, reason.name
        assert stats["estimated_rejects"].get(reason.name, 0) > 0, reason.name


def test_bad_requests_are_visible_in_the_records(smoke: Path) -> None:
    f = read_events(smoke)
    meta, r, stats = f.meta, f.records, f.meta.raw["source"]["stats"]["intended_rejects"]
    ni, na, nv = len(meta.instruments), len(meta.accounts), len(meta.venues)
    req = r[r["kind"] >= EventKind.NEW_ORDER]
    assert (req["instrument"] >= ni).sum() == stats["UNKNOWN_INSTRUMENT"]
    known = req[req["instrument"] < ni]
    assert (known["account"] >= na).sum() == stats["UNKNOWN_ACCOUNT"]
    new = known[(known["kind"] == EventKind.NEW_ORDER) & (known["account"] < na)]
    assert ((new["venue"] >= nv) & (new["venue"] != 255)).sum() == stats["UNKNOWN_VENUE"]
    bad_kind = ~np.isin(new["side"], [1, 2]) | ~np.isin(new["order_type"], [1, 2, 3])
    assert bad_kind.sum() == stats["INVALID_REQUEST"]
    # The pre-open MARKET orders come before any market data.
    first_md = int(np.flatnonzero(r["kind"] <= EventKind.TRADE)[0])
    pre = r[:first_md]
    assert (pre["order_type"] == OrderType.MARKET).sum() == stats["NO_REFERENCE_PRICE"] == ni


def test_ids_are_unique_per_account_but_for_the_duplicates(smoke: Path) -> None:
    f = read_events(smoke)
    r = f.records
    na = len(f.meta.accounts)
    req = r[(r["kind"] >= EventKind.NEW_ORDER) & (r["account"] < na)]
    dupes = 0
    increasing = 0
    for a in range(na):
        ids = req[req["account"] == a]["id"].astype(np.int64)
        dupes += len(ids) - len(np.unique(ids))
        increasing += int((np.diff(ids) > 0).sum())
    assert dupes == f.meta.raw["source"]["stats"]["intended_rejects"]["DUPLICATE_ID"]
    assert increasing > 0.95 * len(req)


def test_orders_react_after_the_market_event_that_caused_them(smoke: Path) -> None:
    r = read_events(smoke).records
    is_md = r["kind"] <= EventKind.TRADE
    # Every request after the open follows some market event with a smaller timestamp.
    first_md = int(np.flatnonzero(is_md)[0])
    later = np.flatnonzero(~is_md[first_md:]) + first_md
    last_md_ts = np.maximum.accumulate(np.where(is_md, r["ts"], 0))
    assert (r["ts"][later] > last_md_ts[later - 1]).mean() > 0.99


def test_the_estimate_agrees_with_the_engine(smoke: Path) -> None:
    """The generator's estimate of the pipeline against the real engine, reason by reason."""
    if not hasattr(hotpath_rs, "replay"):
        pytest.skip("the Rust engine is not built into this extension")
    from hotpath_format import ReportKind

    f = read_events(smoke)
    stats = f.meta.raw["source"]["stats"]
    reports = hotpath_rs.replay(json.dumps(f.meta.raw), f.records)
    rejects = reports[reports["kind"] == ReportKind.REJECT]
    engine = Counter(Reason(int(x)).name for x in rejects["reason"])
    assert dict(engine) == stats["estimated_rejects"]
    assert sorted(set(engine)) == sorted(r.name for r in Reason), "every reason is exercised"
    halts = reports[reports["kind"] == ReportKind.HALT]["account"].tolist()
    assert halts == stats["estimated_halts"]
    assert int((reports["kind"] == ReportKind.FILL).sum()) == stats["estimated_fills"]


def test_generate_records_returns_the_event_dtype() -> None:
    records, stats = generate_records(load_manifest("smoke"), seed=5, scale=0.2)
    assert records.dtype == EVENT_DTYPE and records.flags.aligned
    assert len(records) == sum(stats["records"].values())
    assert (np.diff(records["ts"].astype(np.int64)) >= 0).all()
