"""Manifests: the five shipped ones are valid, and every mistake names the file and key."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from hotpath_format import ScenarioMeta
from hotpath_lab.scenarios import ManifestError, list_manifests, load_manifest, resolve_manifest
from hotpath_lab.scenarios.manifest import SCENARIOS_DIR, main

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


def test_the_module_prints_the_config(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["smoke"]) == 0
    assert json.loads(capsys.readouterr().out)["meta"]["name"] == "smoke"
    assert main([]) == 2
    assert main(["nope"]) == 1


# Each case edits the smoke manifest's text and expects an error naming this key.
CASES: list[tuple[str, str, str, str]] = [
    ('seed = 1\n', "", "seed", "is missing"),
    ('seed = 1\n', 'seed = -1\n', "seed", "must be >= 0"),
    ('duration_s = 5.0', "duration_s = 6.0", "duration_s", "phases add up to 5.0"),
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
     "accounts[0].rate_limit.count", "must be >= 1"),
    ('trade_excitation = 2.0', 'trade_excitation = 9.0', "market.trade_excitation",
     "without end"),
    ('burst_multiplier = [10, 50]', 'burst_multiplier = [50, 10]', "market.burst_multiplier",
     "above high"),
    ('name = "calm"\nduration_s = 2.0\nrate = 600', 'name = "calm"\nduration_s = 2.0',
     "phases[0].rate", "first phase must set it"),
    ('trade_share = 0.08\njump_rate', 'trade_share = 1.5\njump_rate', "phases[0].trade_share",
     "must be <= 1.0"),
    ('ramp_s = 0.5', 'ramp_s = 5.0', "phases[2].ramp_s", "longer than the phase"),
    ('account = "mm-2"', 'account = "mm-9"', "strategy.makers[1].account", "not an account"),
    ('hedge_target = 0.05', 'hedge_target = 0.6', "strategy.hedge_target", "below hedge_threshold"),
    ('quote_qty = { "BTC-USD" = "0.05", "ETH-USD" = "1" }', 'quote_qty = { "BTC-USD" = "0.05" }',
     "strategy.quote_qty.ETH-USD", "is missing"),
    ('reaction_us = [5, 40]', 'reaction_us = [0, 40]', "strategy.reaction_us", "must be > 0"),
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
