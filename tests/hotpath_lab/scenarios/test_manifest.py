"""Manifests: the five shipped ones are valid, and every mistake names the file and key.

Reading a manifest only translates it; whether it is usable is for the generator's config
rules to say (``hotpath-scenario/src/config/rules.rs``). Errors from those rules carry the
config path they were checked on (``ManifestError.config_path``) and still name the key.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from hotpath_format import ScenarioMeta
from hotpath_lab.scenarios import ManifestError, list_manifests, load_manifest, resolve_manifest
from hotpath_lab.scenarios.manifest import SCENARIOS_DIR

NAMES = ["calm", "flash-crash", "multi-venue", "smoke", "volatility"]


def test_the_five_manifests_are_shipped() -> None:
    assert set(NAMES) <= set(list_manifests())


@pytest.mark.parametrize("name", NAMES)
def test_manifest_gives_valid_metadata_and_config(name: str) -> None:
    m = load_manifest(name)
    assert m.name == name and m.path == SCENARIOS_DIR / f"{name}.toml"
    assert len(m.sha256) == 64
    meta = m.metadata(seed=7, scale=0.5, generator="g")
    parsed = ScenarioMeta.from_dict(meta)
    assert [v.name for v in parsed.venues] == ["spot", "usdm", "coinm"]
    assert meta["source"] == {
        "kind": "generated",
        "generator": "g",
        "manifest": f"{name}.toml",
        "manifest_sha256": m.sha256,
        "seed": 7,
        "scale": 0.5,
    }
    config = json.loads(m.config_json())
    assert config["meta"] == m.meta
    assert config["duration_ns"] == round(m.duration_s * 1e9)
    assert sum(p["duration_ns"] for p in config["market"]["phases"]) == config["duration_ns"]
    for a in parsed.accounts:
        assert a.limits.rate_limit_count > 0 and a.limits.max_open_orders > 0


def test_display_units_become_exact_integer_units() -> None:
    meta = load_manifest("smoke").meta
    btc = meta["instruments"][0]
    assert (btc["tick_size"], btc["lot_size"], btc["max_order_qty"]) == (50, 100_000, 5_000_000_000)
    mm = meta["accounts"][0]["limits"]
    usd = 10 ** (btc["price_decimals"] + btc["qty_decimals"])
    assert mm["max_order_notional"] == 300_000 * usd
    assert mm["max_position"] == [400_000_000, 8_000_000_000]
    assert mm["rate_limit_window_ns"] == 50_000_000


def test_flash_crash_loss_limits_are_low_enough_to_trip() -> None:
    losses = [a["limits"]["max_loss"] for a in load_manifest("flash-crash").meta["accounts"]]
    calm = [a["limits"]["max_loss"] for a in load_manifest("calm").meta["accounts"]]
    assert min(losses[:3]) < min(calm[:3])


def test_names_and_paths_resolve() -> None:
    assert resolve_manifest("calm") == SCENARIOS_DIR / "calm.toml"
    assert resolve_manifest("x/y.toml") == Path("x/y.toml")
    assert resolve_manifest(Path("calm")) == Path("calm")
    with pytest.raises(ManifestError, match=r"nope\.toml: no such manifest \(known: .*smoke"):
        load_manifest("nope")


# Each case edits the smoke manifest's text and expects an error naming this key.
CASES: list[tuple[str, str, str, str]] = [
    ('seed = 1\n', "", "seed", "is missing"),
    ('seed = 1\n', 'seed = -1\n', "seed", "must be >= 0"),
    ('duration_s = 5.0', "duration_s = 6.0", "duration_s", "is 6 s but the phases add up to 5 s"),
    ('tick = "0.50"', 'tick = "0.505"', "instruments[0].tick", "finer than price_decimals"),
    ('tick = "0.50"', 'tick = "0"', "instruments[0].tick", "must be > 0"),
    ('initial_price = "60000"', 'initial_price = "60000.25"', "instruments[0].initial_price",
     "multiple of the tick"),
    ('lot = "0.001"', 'lot = "abc"', "instruments[0].lot", "not a decimal"),
    ('level_qty = "0.6"', 'level_qty = "0.0001"', "instruments[0].level_qty", "at least one lot"),
    ('initial_price = "60000"', 'initial_price = "60000"\ncolour = 1', "instruments[0].colour",
     "not a known key"),
    ('lag_ms = 2.0', 'lag_ms = -2.0', "venues[0].lag_ms", "must be >= 0"),
    ('max_position = { "BTC-USD" = "4", "ETH-USD" = "80" }\nrate_limit = { count = 60',
     'max_position = { "BTC-USD" = "4" }\nrate_limit = { count = 60',
     "accounts[0].max_position.ETH-USD", "is missing"),
    ("rate_limit = { count = 60, window_ms = 50 }", "rate_limit = { count = 0, window_ms = 50 }",
     "accounts[0].rate_limit.count", "must be at least 1"),
    ('trade_excitation = 2.0', 'trade_excitation = 9.0', "market.trade_excitation",
     "without end"),
    ('burst_multiplier = [10, 50]', 'burst_multiplier = [50, 10]', "market.burst_multiplier",
     "low <= high"),
    ('name = "calm"\nduration_s = 2.0\nrate = 600', 'name = "calm"\nduration_s = 2.0',
     "phases[0].rate", "first phase must set it"),
    ('trade_share = 0.08\njump_rate', 'trade_share = 1.5\njump_rate', "phases[0].trade_share",
     "must be between 0 and 1"),
    ('ramp_s = 0.5', 'ramp_s = 5.0', "phases[2].ramp_s", "longer than the phase"),
    ('account = "mm-2"', 'account = "mm-9"', "strategy.makers[1].account", "not an account"),
    ('hedge_target = 0.05', 'hedge_target = 0.6', "strategy.hedge_target", "below hedge_threshold"),
    ('quote_qty = { "BTC-USD" = "0.05", "ETH-USD" = "1" }', 'quote_qty = { "BTC-USD" = "0.05" }',
     "strategy.quote_qty.ETH-USD", "is missing"),
    ('reaction_us = [5, 40]', 'reaction_us = [0, 40]', "strategy.reaction_us", "longer than 0"),
    ('instrument = "BTC-USD"\nvenue = "usdm"', 'instrument = "DOGE"\nvenue = "usdm"',
     "strategy.drill.instrument", "not an instrument"),
    ('qty = "2"\ninterval_ms', 'qty = "2.000000001"\ninterval_ms', "strategy.drill.qty",
     "finer than qty_decimals"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "key", "message"), CASES, ids=[c[2] for c in CASES])
def test_errors_name_the_file_and_the_key(
    tmp_path: Path, old: str, new: str, key: str, message: str
) -> None:
    text = (SCENARIOS_DIR / "smoke.toml").read_text()
    assert old in text, f"case {key} does not apply to smoke.toml"
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace(old, new, 1))
    with pytest.raises(ManifestError) as info:
        load_manifest(bad)
    assert str(info.value).startswith(f"{bad}: {key}: "), str(info.value)
    assert re.search(message, str(info.value)), str(info.value)
    assert info.value.key == key


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.toml"
    bad.write_text("name = \n")
    with pytest.raises(ManifestError, match=rf"^{re.escape(str(bad))}: not valid TOML"):
        load_manifest(bad)


def test_lots_are_checked_where_sizes_must_be_whole_lots(tmp_path: Path) -> None:
    text = (SCENARIOS_DIR / "smoke.toml").read_text()
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('qty = "2"\ninterval_ms', 'qty = "2.0005"\ninterval_ms', 1))
    with pytest.raises(
        ManifestError, match=r"strategy\.drill\.qty: must be a positive whole number"
    ):
        load_manifest(bad)


# Checks the Python loader used to make itself and the generator made again; each is now
# made once, by the generator's config rules, and still named by manifest key.
# (old text, new text, manifest key, config path the rule is checked on, message)
AUTHORITY: list[tuple[str, str, str, str, str]] = [
    ('tick = "0.50"', 'tick = "0"', "instruments[0].tick", "meta.instruments[0].tick_size",
     "must be > 0"),
    ('lot = "0.001"', 'lot = "-0.001"', "instruments[0].lot", "meta.instruments[0].lot_size",
     "must be > 0"),
    ('max_order_qty = "50"', 'max_order_qty = "50.0005"', "instruments[0].max_order_qty",
     "meta.instruments[0].max_order_qty", "whole number of lots"),
    ('max_price = "500000"', 'max_price = "500000.25"', "instruments[0].max_price",
     "meta.instruments[0].max_price", "whole number of ticks"),
    ("band_bps = 500", "band_bps = 0", "instruments[0].band_bps", "meta.instruments[0].band_bps",
     "between 1 and 10000"),
    ('initial_price = "60000"', 'initial_price = "600000"', "instruments[0].initial_price",
     "market.instruments[0].initial_price", "above max_price"),
    ("spread_ticks = 2.0        #", "spread_ticks = 0.5        #",
     "instruments[0].spread_ticks", "market.instruments[0].spread_ticks", "at least 1"),
    ("level_gap_ticks = 2", "level_gap_ticks = 0", "instruments[0].level_gap_ticks",
     "market.instruments[0].level_gap_ticks", "between 1 and 1000"),
    ('trade_qty = "0.08"', 'trade_qty = "0"', "instruments[0].trade_qty",
     "market.instruments[0].trade_qty", "at least one lot"),
    ("volatility = 1.3", "volatility = 0", "instruments[1].volatility",
     "market.instruments[1].volatility", "positive"),
    ("weight = 0.8", "weight = -1", "instruments[1].weight", "market.instruments[1].weight",
     "positive"),
    ("lag_ms = 2.0              # trails the latent price by ~2 ms\nweight = 1.0",
     "lag_ms = 2.0\nweight = 0", "venues[0].weight", "market.venues[0].weight", "positive"),
    ("depth = 0.6", "depth = 0", "venues[2].depth", "market.venues[2].depth", "positive"),
    ("spread = 1.4", "spread = 1.4\nbasis_bps = 1000", "venues[2].basis_bps",
     "market.venues[2].basis_bps", "within ±1000"),
    ("rate_limit = { count = 60, window_ms = 50 }", "rate_limit = { count = 60, window_ms = 0 }",
     "accounts[0].rate_limit.window_ms", "meta.accounts[0].limits.rate_limit_window_ns",
     "longer than 0"),
    ('max_loss = "25000"', 'max_loss = "-1"', "accounts[0].max_loss",
     "meta.accounts[0].limits.max_loss", "must be >= 0"),
    ('max_position = { "BTC-USD" = "4", "ETH-USD" = "80" }',
     'max_position = { "BTC-USD" = "-4", "ETH-USD" = "80" }', "accounts[0].max_position.BTC-USD",
     "meta.accounts[0].limits.max_position[0]", "must be >= 0"),
    ("duration_s = 5.0", "duration_s = 5.5", "duration_s", "duration_ns", "phases add up"),
    ('name = "calm"\nduration_s = 2.0', 'name = "calm"\nduration_s = 0.0', "phases[0].duration_s",
     "market.phases[0].duration_ns", "positive"),
    ('name = "calm"\nduration_s = 2.0', 'name = "calm"\nduration_s = 2.0\nramp_s = 0.1',
     "phases[0].ramp_s", "market.phases[0].ramp_ns", "nothing to ramp from"),
    ("ramp_s = 0.5", "ramp_s = 2.5", "phases[2].ramp_s", "market.phases[2].ramp_ns",
     "longer than the phase"),
    ("rate = 800", "rate = 0", "phases[1].rate", "market.phases[1].rate", r"\(0, 1e7\]"),
    ("volatility_bps = 4", "volatility_bps = -4", "phases[1].volatility_bps",
     "market.phases[1].volatility_bps", ">= 0"),
    ("spread = 1.8", "spread = 0", "phases[1].spread", "market.phases[1].spread", "positive"),
    ("jump_bps = 3", "jump_bps = 3000", "phases[0].jump_bps", "market.phases[0].jump_bps",
     "between 0 and 2000"),
    ("dislocation_bps = 1.5", "dislocation_bps = -1", "phases[1].dislocation_bps",
     "market.phases[1].dislocation_bps", ">= 0"),
    ("correlation = 0.8", "correlation = 1.8", "market.correlation", "market.correlation",
     "between 0 and 1"),
    ("correlation = 0.8", "correlation = 0.8\nmin_levels = 5", "market.min_levels",
     "market.min_levels", "at least 10"),
    ("correlation = 0.8", "correlation = 0.8\nmax_levels = 11", "market.max_levels",
     "market.max_levels", "min_levels \\+ 2"),
    ("burst_decay_ms = 120", "burst_decay_ms = 0", "market.burst_decay_ms", "market.burst_decay_ns",
     "positive"),
    ("burst_multiplier = [10, 50]", "burst_multiplier = [0.5, 50]", "market.burst_multiplier",
     "market.burst_multiplier", "1 <= low"),
    ("burst_branching = 0.3", "burst_branching = 0.95", "market.burst_branching",
     "market.burst_branching", "die out"),
    ("levels = 2\nlevel_step_ticks = 2", "levels = 11\nlevel_step_ticks = 2",
     "strategy.makers[0].levels", "strategy.makers[0].levels", "between 1 and 10"),
    ("level_step_ticks = 2", "level_step_ticks = 0", "strategy.makers[0].level_step_ticks",
     "strategy.makers[0].level_step_ticks", "at least 1"),
    ("offset_ticks = 1", "offset_ticks = -1", "strategy.makers[1].offset_ticks",
     "strategy.makers[1].offset_ticks", ">= 0"),
    ("size = 1.5", "size = 0", "strategy.makers[1].size", "strategy.makers[1].size", "positive"),
    ('account = "mm-2"', 'account = "mm-1"', "strategy.makers[1].account",
     "strategy.makers[1].account", "already runs a maker"),
    ('quote_qty = { "BTC-USD" = "0.05"', 'quote_qty = { "BTC-USD" = "0.0505"',
     "strategy.quote_qty.BTC-USD", "strategy.instruments[0].quote_qty", "whole number of lots"),
    ('quote_qty = { "BTC-USD" = "0.05"', 'quote_qty = { "BTC-USD" = "60"',
     "strategy.quote_qty.BTC-USD", "strategy.instruments[0].quote_qty", "max_order_qty"),
    ("reaction_us = [5, 40]", "reaction_us = [50, 40]", "strategy.reaction_us",
     "strategy.reaction_ns", "longer than the longest"),
    ("requote_ticks = 2", "requote_ticks = 0", "strategy.requote_ticks", "strategy.requote_ticks",
     "at least 1"),
    ("hedge_threshold = 0.15", "hedge_threshold = 1.5", "strategy.hedge_threshold",
     "strategy.hedge_threshold", "between 0 and 1"),
    ("hedge_slip_ticks = 5", "hedge_slip_ticks = -5", "strategy.hedge_slip_ticks",
     "strategy.hedge_slip_ticks", ">= 0"),
    ("storm_ratio = 6.0", "storm_ratio = 0.5", "strategy.storm_ratio", "strategy.storm_ratio",
     "above 1"),
    ("bad_share = 0.02", "bad_share = 0.6", "strategy.bad_share", "strategy.bad_share",
     "between 0 and 0.5"),
    ("at = 0.7", "at = 1.7", "strategy.drill.at", "strategy.drill.at", "between 0 and 1"),
    ('qty = "2"\ninterval_ms', 'qty = "60"\ninterval_ms', "strategy.drill.qty",
     "strategy.drill.qty", "max_order_qty"),
    ("interval_ms = 2", "interval_ms = 0", "strategy.drill.interval_ms",
     "strategy.drill.interval_ns", "positive"),
    ("max_orders = 200", "max_orders = 0", "strategy.drill.max_orders",
     "strategy.drill.max_orders", "at least 1"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "key", "config_path", "message"), AUTHORITY, ids=[c[3] for c in AUTHORITY]
)
def test_every_rule_is_the_generators_and_names_the_key(
    tmp_path: Path, old: str, new: str, key: str, config_path: str, message: str
) -> None:
    text = (SCENARIOS_DIR / "smoke.toml").read_text()
    assert old in text, f"case {config_path} does not apply to smoke.toml"
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace(old, new, 1))
    with pytest.raises(ManifestError) as info:
        load_manifest(bad)
    assert str(info.value).startswith(f"{bad}: {key}: "), str(info.value)
    assert re.search(message, str(info.value)), str(info.value)
    assert (info.value.key, info.value.config_path) == (key, config_path)


def test_translation_errors_are_the_loaders_own(tmp_path: Path) -> None:
    # What only the loader can judge (TOML types, display units, names, unknown keys) is
    # not sent to the generator: no config path.
    text = (SCENARIOS_DIR / "smoke.toml").read_text()
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('tick = "0.50"', 'tick = "0.505"', 1))
    with pytest.raises(ManifestError) as info:
        load_manifest(bad)
    assert info.value.config_path is None


def test_origins_map_config_paths_back_to_manifest_keys() -> None:
    origins = load_manifest("smoke").origins
    assert origins.key_for("market.phases[2].ramp_ns") == "phases[2].ramp_s"
    # Values carried over from an earlier phase are named where they were written.
    assert origins.key_for("market.phases[1].jump_bps") == "phases[0].jump_bps"
    assert origins.key_for("market.phases[2].rate") == "phases[2].rate"
    # A defaulted key is named where it would be written.
    assert origins.key_for("market.open_ns") == "market.open_ms"
    assert origins.key_for("meta.accounts[3].limits.max_position[1]") == (
        "accounts[3].max_position.ETH-USD"
    )
    assert origins.key_for("strategy.instruments[1].quote_qty") == "strategy.quote_qty.ETH-USD"
    # Paths without an entry fall back to their nearest recorded parent.
    assert origins.key_for("market.phases") == "phases"
    assert origins.key_for("meta.instruments[1].id") == "instruments[1]"
    assert origins.key_for("scale") == ""
