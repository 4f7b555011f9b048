"""Scenario manifests (``scenarios/NAME.toml``): loading, translation and what they produce.

A manifest declares a scenario: instruments, venues, accounts and their limits, the market
regime timeline and the strategy. ``load_manifest`` translates it into the generator config
(display units into integer units, names into ids, defaults, values carried from phase to
phase) and has the generator's config rules check it, the one place they are stated; every
error names the file and the manifest key. The result is a ``Manifest`` that knows the file
metadata (``docs/formats.md`` schema 1) and the generator config (JSON for
``hotpath_toolkit.generate_scenario``). The format is documented in ``docs/scenarios.md``.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hotpath_format.files import open_regular
from hotpath_lab.scenarios.origins import Origins, refusal
from hotpath_lab.scenarios.strategy import strategy_config
from hotpath_lab.scenarios.units import ManifestError, Table

__all__ = ["Manifest", "ManifestError", "list_manifests", "load_manifest", "resolve_manifest"]

SCENARIOS_DIR = Path(__file__).resolve().parents[3] / "scenarios"
"""The repository's manifest directory (``NAME`` resolves to ``SCENARIOS_DIR/NAME.toml``)."""

# Phase keys that carry over to the next phase when it does not set them, with the
# values the first phase starts from.
_PHASE_DEFAULTS: dict[str, float | None] = {
    "rate": None,
    "volatility_bps": None,
    "trade_share": None,
    "drift_bps_per_s": 0.0,
    "spread": 1.0,
    "depth": 1.0,
    "burst_rate": 0.0,
    "jump_rate": 0.0,
    "jump_bps": 0.0,
    "jump_down_share": 0.5,
    "dislocation_rate": 0.0,
    "dislocation_bps": 0.0,
    "hit_share": 0.5,
}


@dataclass(frozen=True, slots=True)
class Manifest:
    """A validated manifest: what it declares, in file-metadata and generator form."""

    path: Path
    name: str
    description: str
    seed: int
    duration_s: float
    sha256: str
    """SHA-256 of the manifest file's bytes (part of the cache key and the metadata)."""
    meta: dict[str, Any] = field(repr=False)
    """Schema-1 metadata without ``source``."""
    config: dict[str, Any] = field(repr=False)
    """Generator config (``duration_ns``, ``market``, ``strategy``) without ``meta``."""
    origins: Origins = field(repr=False)
    """Which manifest key each config path came from (for the generator's errors)."""

    def metadata(self, *, seed: int, scale: float, generator: str,
                 stats: dict[str, Any] | None = None) -> dict[str, Any]:  # fmt: skip
        """The file metadata of this scenario generated with ``seed`` and ``scale``."""
        source: dict[str, Any] = {
            "kind": "generated",
            "generator": generator,
            "manifest": self.path.name,
            "manifest_sha256": self.sha256,
            "seed": seed,
            "scale": float(scale),
        }
        if stats is not None:
            source["stats"] = stats
        return {**self.meta, "source": source}

    def config_json(self) -> str:
        """The generator config as the JSON ``hotpath_toolkit.generate_scenario`` takes."""
        return json.dumps({"meta": self.meta, **self.config}, sort_keys=True)


def resolve_manifest(name_or_path: str | Path) -> Path:
    """``NAME`` → ``scenarios/NAME.toml`` in the repository; a path is taken as is."""
    s = str(name_or_path)
    if isinstance(name_or_path, Path) or "/" in s or s.endswith(".toml"):
        return Path(name_or_path)
    return SCENARIOS_DIR / f"{s}.toml"


def list_manifests() -> list[str]:
    """Names of the repository's manifests."""
    return sorted(p.stem for p in SCENARIOS_DIR.glob("*.toml"))


def load_manifest(name_or_path: str | Path) -> Manifest:
    """Reads a manifest, translates it and has the generator check it; raises
    ``ManifestError`` naming the file and key."""
    path = resolve_manifest(name_or_path)
    try:
        with open_regular(path) as f:  # a FIFO is refused, not waited on
            raw = f.read()
    except FileNotFoundError:
        known = ", ".join(list_manifests())
        raise ManifestError(path, "", f"no such manifest (known: {known})") from None
    except OSError as exc:
        raise ManifestError(path, "", f"cannot read: {exc.strerror or exc}") from None
    try:
        data = tomllib.loads(raw.decode())
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ManifestError(path, "", f"not valid TOML: {exc}") from None
    manifest = _translate(Table(data, path), hashlib.sha256(raw).hexdigest())
    _check(manifest)
    return manifest


def _check(manifest: Manifest) -> None:
    """The generator's config rules, the one authority on whether a manifest is usable."""
    import hotpath_toolkit

    try:
        hotpath_toolkit.validate_scenario_config(manifest.config_json())
    except hotpath_toolkit.ScenarioConfigError as exc:
        raise refusal(manifest.path, exc, manifest.origins) from None


def _translate(t: Table, digest: str) -> Manifest:
    origins = Origins()
    name = t.string("name")
    description = t.string("description")
    seed = t.u64("seed")
    duration_s = t.number("duration_s")
    instruments = t.tables("instruments")
    ins_meta, ins_model = zip(
        *(_instrument(i, x, origins) for i, x in enumerate(instruments)), strict=True
    )
    symbols = [x["symbol"] for x in ins_meta]
    if len(set(symbols)) != len(symbols):
        raise t.error("instruments", "symbols must be unique (strategy keys name them)")
    scale = {x["price_decimals"] + x["qty_decimals"] for x in ins_meta}
    venues = t.tables("venues")
    ven_meta, ven_model = zip(*(_venue(i, v, origins) for i, v in enumerate(venues)), strict=True)
    if len({v["name"] for v in ven_meta}) != len(ven_meta):
        raise t.error("venues", "names must be unique (the strategy names them)")
    accounts = [
        _account(i, a, list(ins_meta), scale, origins) for i, a in enumerate(t.tables("accounts"))
    ]
    if len({a["name"] for a in accounts}) != len(accounts):
        raise t.error("accounts", "names must be unique (the strategy names them)")
    meta: dict[str, Any] = {
        "schema": 1,
        "name": name,
        "description": description,
        "instruments": list(ins_meta),
        "venues": list(ven_meta),
        "accounts": accounts,
    }
    for config_path, key in (("meta.instruments", "instruments"), ("meta.venues", "venues"),
                             ("meta.accounts", "accounts"), ("market.instruments", "instruments"),
                             ("market.venues", "venues"), ("market.phases", "phases")):  # fmt: skip
        origins.note(config_path, key)
    phases = _phases(t, origins)
    market = _market(t.table("market"), list(ins_model), list(ven_model), phases, origins)
    strategy = strategy_config(t.table("strategy"), meta, origins)
    t.done()
    duration_ns = t.time_ns("duration_s", 1.0)
    origins.note("duration_ns", t.key("duration_s"))
    config = {"duration_ns": duration_ns, "market": market, "strategy": strategy}
    return Manifest(t.file, name, description, seed, duration_s, digest, meta, config, origins)


def _instrument(i: int, x: Table, origins: Origins) -> tuple[dict[str, Any], dict[str, Any]]:
    symbol = x.string("symbol")
    # Translation needs the decimals; the generator never sees them.
    pd = x.integer("price_decimals", minimum=0, maximum=12)
    qd = x.integer("qty_decimals", minimum=0, maximum=12)
    meta = {
        "id": i,
        "symbol": symbol,
        "tick_size": x.units("tick", pd, what="price"),
        "lot_size": x.units("lot", qd, what="qty"),
        "max_order_qty": x.units("max_order_qty", qd, what="qty"),
        "max_price": x.units("max_price", pd, what="price"),
        "band_bps": x.i64("band_bps"),
        "price_decimals": pd,
        "qty_decimals": qd,
    }
    model = {
        "initial_price": x.units("initial_price", pd, what="price"),
        "spread_ticks": x.number("spread_ticks"),
        "level_gap_ticks": x.u32("level_gap_ticks", 1),
        "level_qty": x.units("level_qty", qd, what="qty"),
        "trade_qty": x.units("trade_qty", qd, what="qty"),
        "volatility": x.number("volatility", 1.0),
        "weight": x.number("weight", 1.0),
    }
    x.done()
    origins.table(f"meta.instruments[{i}]", x, symbol="symbol", tick_size="tick",
                  lot_size="lot", max_order_qty="max_order_qty", max_price="max_price",
                  band_bps="band_bps")  # fmt: skip
    origins.table(f"market.instruments[{i}]", x, **{k: k for k in model})
    return meta, model


def _venue(i: int, v: Table, origins: Origins) -> tuple[dict[str, Any], dict[str, Any]]:
    meta = {"id": i, "name": v.string("name")}
    model = {
        "lag_ns": v.time_ns("lag_ms", 1e-3, 0.0),
        "weight": v.number("weight", 1.0),
        "depth": v.number("depth", 1.0),
        "spread": v.number("spread", 1.0),
        "basis_bps": v.number("basis_bps", 0.0),
    }
    v.done()
    origins.table(f"meta.venues[{i}]", v, name="name")
    origins.table(f"market.venues[{i}]", v, lag_ns="lag_ms", weight="weight", depth="depth",
                  spread="spread", basis_bps="basis_bps")  # fmt: skip
    return meta, model


def _account(i: int, a: Table, instruments: list[dict[str, Any]], scale: set[int],
             origins: Origins) -> dict[str, Any]:  # fmt: skip
    if len(scale) != 1:
        raise a.error(
            "max_order_notional",
            "notional limits are in quote currency, which needs every instrument to have the "
            "same price_decimals + qty_decimals",
        )
    (decimals,) = scale
    limits_path = f"meta.accounts[{i}].limits"
    positions = a.table("max_position")
    max_position = []
    for j, ins in enumerate(instruments):
        if not positions.has(ins["symbol"]):
            raise positions.error(ins["symbol"], "is missing (one limit per instrument)")
        max_position.append(positions.units(ins["symbol"], ins["qty_decimals"], what="qty"))
        origins.note(f"{limits_path}.max_position[{j}]", positions.key(ins["symbol"]))
    positions.done()
    rate = a.table("rate_limit")
    count = rate.u32("count")
    window = rate.time_ns("window_ms", 1e-3)
    rate.done()
    origins.note(f"{limits_path}.max_position", positions.path)
    origins.table(limits_path, rate, rate_limit_count="count", rate_limit_window_ns="window_ms")
    notional = {
        key: a.units(key, decimals, what="notional")
        for key in ("max_order_notional", "max_gross_notional", "max_loss")
    }
    limits: dict[str, Any] = {
        "max_order_notional": notional["max_order_notional"],
        "max_gross_notional": notional["max_gross_notional"],
        "max_position": max_position,
        "rate_limit_count": count,
        "rate_limit_window_ns": window,
        "max_open_orders": a.u32("max_open_orders"),
        "max_loss": notional["max_loss"],
    }
    account = {"id": i, "name": a.string("name"), "limits": limits}
    a.done()
    origins.table(f"meta.accounts[{i}]", a, name="name")
    for key in ("max_order_notional", "max_gross_notional", "max_open_orders", "max_loss"):
        origins.note(f"{limits_path}.{key}", a.key(key))
    return account


def _phases(t: Table, origins: Origins) -> list[dict[str, Any]]:
    phases = []
    carried: dict[str, float | None] = dict(_PHASE_DEFAULTS)
    set_at: dict[str, str] = {}
    for i, p in enumerate(t.tables("phases")):
        for key in _PHASE_DEFAULTS:
            if p.has(key):
                carried[key] = p.number(key)
                set_at[key] = p.key(key)
            elif carried[key] is None:
                raise p.error(key, "is missing (the first phase must set it; later ones inherit)")
        phases.append(
            {
                "name": p.string("name"),
                "duration_ns": p.time_ns("duration_s", 1.0),
                "ramp_ns": p.time_ns("ramp_s", 1.0, 0.0),
                "burst_on_entry": p.boolean("burst_on_entry", False),
                **carried,
            }
        )
        p.done()
        path = f"market.phases[{i}]"
        origins.table(path, p, name="name", duration_ns="duration_s", ramp_ns="ramp_s",
                      burst_on_entry="burst_on_entry")  # fmt: skip
        for key in _PHASE_DEFAULTS:
            # A value carried over is named where it was written.
            origins.note(f"{path}.{key}", set_at.get(key, p.key(key)))
    return phases


def _market(m: Table, instruments: list[dict[str, Any]], venues: list[dict[str, Any]],
            phases: list[dict[str, Any]], origins: Origins) -> dict[str, Any]:  # fmt: skip
    min_levels = m.u64("min_levels", 10)
    market = {
        "open_ns": m.time_ns("open_ms", 1e-3, 1.0),
        "min_levels": min_levels,
        "max_levels": m.u64("max_levels", min_levels + 14),
        "correlation": m.number("correlation", 0.0),
        "burst_decay_ns": m.time_ns("burst_decay_ms", 1e-3, 150.0),
        "burst_multiplier": list(m.pair("burst_multiplier", [10.0, 50.0])),
        "burst_branching": m.number("burst_branching", 0.3),
        "child_burst_delay_ns": m.time_ns("child_burst_delay_ms", 1e-3, 300.0),
        "trade_excitation": m.number("trade_excitation", 2.0),
        "dislocation_decay_ns": m.time_ns("dislocation_decay_ms", 1e-3, 80.0),
        "instruments": instruments,
        "venues": venues,
        "phases": phases,
    }
    m.done()
    origins.table("market", m, open_ns="open_ms", min_levels="min_levels",
                  max_levels="max_levels", correlation="correlation",
                  burst_decay_ns="burst_decay_ms", burst_multiplier="burst_multiplier",
                  burst_branching="burst_branching", child_burst_delay_ns="child_burst_delay_ms",
                  trade_excitation="trade_excitation",
                  dislocation_decay_ns="dislocation_decay_ms")  # fmt: skip
    return market
