"""Scenario manifests (``scenarios/NAME.toml``): loading, validation and what they produce.

A manifest declares a scenario: instruments, venues, accounts and their limits, the market
regime timeline and the strategy. ``load_manifest`` checks every key (errors name the file
and the key) and yields a ``Manifest`` that knows the file metadata (``docs/formats.md``
schema 1) and the generator config (JSON for ``hotpath_rs.generate_scenario``). The format
is documented in ``docs/scenarios.md``.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hotpath_lab.scenarios.strategy import strategy_config
from hotpath_lab.scenarios.units import ManifestError, Table, ns

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
_SHARES = {"trade_share", "jump_down_share", "hit_share"}
_SIGNED = {"drift_bps_per_s"}
_POSITIVE = {"rate", "spread", "depth"}


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
        """The generator config as the JSON ``hotpath_rs.generate_scenario`` takes."""
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
    """Reads and validates a manifest; raises ``ManifestError`` naming the file and key."""
    path = resolve_manifest(name_or_path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        known = ", ".join(list_manifests())
        raise ManifestError(path, "", f"no such manifest (known: {known})") from None
    try:
        data = tomllib.loads(raw.decode())
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ManifestError(path, "", f"not valid TOML: {exc}") from None
    return _parse(Table(data, path), hashlib.sha256(raw).hexdigest())


def _parse(t: Table, digest: str) -> Manifest:
    name = t.string("name")
    description = t.string("description")
    seed = t.integer("seed", minimum=0, maximum=2**64 - 1)
    duration_s = t.number("duration_s", positive=True)
    instruments = t.tables("instruments")
    ins_meta, ins_model = zip(*(_instrument(i, x) for i, x in enumerate(instruments)), strict=True)
    symbols = [x["symbol"] for x in ins_meta]
    if len(set(symbols)) != len(symbols):
        raise t.error("instruments", "symbols must be unique")
    scale = {x["price_decimals"] + x["qty_decimals"] for x in ins_meta}
    venues = t.tables("venues")
    if len(venues) > 254:
        raise t.error("venues", "at most 254 venues (255 means ANY)")
    ven_meta, ven_model = zip(*(_venue(i, v) for i, v in enumerate(venues)), strict=True)
    if len({v["name"] for v in ven_meta}) != len(ven_meta):
        raise t.error("venues", "names must be unique")
    accounts = [_account(i, a, list(ins_meta), scale) for i, a in enumerate(t.tables("accounts"))]
    if len({a["name"] for a in accounts}) != len(accounts):
        raise t.error("accounts", "names must be unique")
    meta: dict[str, Any] = {
        "schema": 1,
        "name": name,
        "description": description,
        "instruments": list(ins_meta),
        "venues": list(ven_meta),
        "accounts": accounts,
    }
    phases = _phases(t)
    total = sum(p["duration_ns"] for p in phases)
    if total != ns(duration_s):
        raise t.error("duration_s", f"is {duration_s} but the phases add up to {total / 1e9} s")
    market = _market(t.table("market"), list(ins_model), list(ven_model), phases)
    strategy = strategy_config(t.table("strategy"), meta)
    t.done()
    config = {"duration_ns": total, "market": market, "strategy": strategy}
    return Manifest(t.file, name, description, seed, duration_s, digest, meta, config)


def _instrument(i: int, x: Table) -> tuple[dict[str, Any], dict[str, Any]]:
    symbol = x.string("symbol")
    pd = x.integer("price_decimals", minimum=0, maximum=12)
    qd = x.integer("qty_decimals", minimum=0, maximum=12)
    tick = x.units("tick", pd, what="price")
    lot = x.units("lot", qd, what="qty")
    for key, v in (("tick", tick), ("lot", lot)):
        if v <= 0:
            raise x.error(key, "must be > 0")
    max_qty = x.units("max_order_qty", qd, what="qty")
    max_price = x.units("max_price", pd, what="price")
    initial = x.units("initial_price", pd, what="price")
    for key, v, unit in (("max_order_qty", max_qty, lot), ("max_price", max_price, tick),
                         ("initial_price", initial, tick)):  # fmt: skip
        if v <= 0 or v % unit:
            raise x.error(
                key, f"must be a positive multiple of the {'lot' if unit == lot else 'tick'}"
            )
    if initial > max_price:
        raise x.error("initial_price", "is above max_price")
    meta = {
        "id": i,
        "symbol": symbol,
        "tick_size": tick,
        "lot_size": lot,
        "max_order_qty": max_qty,
        "max_price": max_price,
        "band_bps": x.integer("band_bps", minimum=1, maximum=10_000),
        "price_decimals": pd,
        "qty_decimals": qd,
    }
    model = {
        "initial_price": initial,
        "spread_ticks": x.number("spread_ticks", minimum=1.0),
        "level_gap_ticks": x.integer("level_gap_ticks", 1, minimum=1, maximum=1000),
        "level_qty": _mean_qty(x, "level_qty", qd, lot),
        "trade_qty": _mean_qty(x, "trade_qty", qd, lot),
        "volatility": x.number("volatility", 1.0, positive=True),
        "weight": x.number("weight", 1.0, positive=True),
    }
    x.done()
    return meta, model


def _mean_qty(x: Table, key: str, qd: int, lot: int) -> int:
    q = x.units(key, qd, what="qty")
    if q < lot:
        raise x.error(key, f"must be at least one lot ({lot} units)")
    return q


def _venue(i: int, v: Table) -> tuple[dict[str, Any], dict[str, Any]]:
    meta = {"id": i, "name": v.string("name")}
    model = {
        "lag_ns": ns(v.number("lag_ms", 0.0, minimum=0.0) * 1e-3),
        "weight": v.number("weight", 1.0, positive=True),
        "depth": v.number("depth", 1.0, positive=True),
        "spread": v.number("spread", 1.0, positive=True),
        "basis_bps": v.number("basis_bps", 0.0, minimum=-999.0, maximum=999.0),
    }
    v.done()
    return meta, model


def _account(
    i: int, a: Table, instruments: list[dict[str, Any]], scale: set[int]
) -> dict[str, Any]:
    if len(scale) != 1:
        raise a.error(
            "max_order_notional",
            "notional limits are in quote currency, which needs every instrument to have the "
            "same price_decimals + qty_decimals",
        )
    (decimals,) = scale
    positions = a.table("max_position")
    max_position = []
    for ins in instruments:
        if not positions.has(ins["symbol"]):
            raise positions.error(ins["symbol"], "is missing (one limit per instrument)")
        max_position.append(positions.units(ins["symbol"], ins["qty_decimals"], what="qty"))
    positions.done()
    rate = a.table("rate_limit")
    count = rate.integer("count", minimum=1, maximum=2**32 - 1)
    window = ns(rate.number("window_ms", positive=True) * 1e-3)
    rate.done()
    notional = {
        key: a.units(key, decimals, what="notional")
        for key in ("max_order_notional", "max_gross_notional", "max_loss")
    }
    for key, value in notional.items():
        if value >= 2**63:
            raise a.error(key, "does not fit in an i64 of notional units")
    limits: dict[str, Any] = {
        "max_order_notional": notional["max_order_notional"],
        "max_gross_notional": notional["max_gross_notional"],
        "max_position": max_position,
        "rate_limit_count": count,
        "rate_limit_window_ns": window,
        "max_open_orders": a.integer("max_open_orders", minimum=0, maximum=2**32 - 1),
        "max_loss": notional["max_loss"],
    }
    account = {"id": i, "name": a.string("name"), "limits": limits}
    a.done()
    return account


def _phases(t: Table) -> list[dict[str, Any]]:
    phases = []
    carried: dict[str, float | None] = dict(_PHASE_DEFAULTS)
    for i, p in enumerate(t.tables("phases")):
        for key in _PHASE_DEFAULTS:
            if p.has(key):
                if key in _SHARES:
                    carried[key] = p.share(key)
                elif key in _POSITIVE:
                    carried[key] = p.number(key, positive=True)
                elif key in _SIGNED:
                    carried[key] = p.number(key, minimum=-5000.0, maximum=5000.0)
                else:
                    carried[key] = p.number(key, minimum=0.0)
            elif carried[key] is None:
                raise p.error(key, "is missing (the first phase must set it; later ones inherit)")
        duration = ns(p.number("duration_s", positive=True))
        ramp = ns(p.number("ramp_s", 0.0, minimum=0.0))
        if ramp > duration:
            raise p.error("ramp_s", "is longer than the phase")
        if i == 0 and ramp:
            raise p.error("ramp_s", "the first phase has nothing to ramp from")
        phases.append(
            {
                "name": p.string("name"),
                "duration_ns": duration,
                "ramp_ns": ramp,
                "burst_on_entry": p.boolean("burst_on_entry", False),
                **carried,
            }
        )
        p.done()
    return phases


def _market(m: Table, instruments: list[dict[str, Any]], venues: list[dict[str, Any]],
            phases: list[dict[str, Any]]) -> dict[str, Any]:  # fmt: skip
    min_levels = m.integer("min_levels", 10, minimum=10, maximum=500)
    lo, hi = m.pair("burst_multiplier", [10.0, 50.0])
    if lo < 1 or hi > 1000:
        raise m.error("burst_multiplier", "must lie within [1, 1000]")
    excitation = m.number("trade_excitation", 2.0, minimum=0.0)
    worst = max(p["trade_share"] for p in phases)
    if excitation * worst >= 0.9:
        raise m.error(
            "trade_excitation",
            f"× the largest phase trade_share ({worst}) is {excitation * worst:.2f}: trades would "
            "excite each other without end (keep it below 0.9)",
        )
    market = {
        "open_ns": ns(m.number("open_ms", 1.0, minimum=0.0) * 1e-3),
        "min_levels": min_levels,
        "max_levels": m.integer(
            "max_levels", min_levels + 14, minimum=min_levels + 2, maximum=1000
        ),
        "correlation": m.share("correlation", 0.0),
        "burst_decay_ns": ns(m.number("burst_decay_ms", 150.0, positive=True) * 1e-3),
        "burst_multiplier": [lo, hi],
        "burst_branching": m.number("burst_branching", 0.3, minimum=0.0, maximum=0.94),
        "child_burst_delay_ns": ns(m.number("child_burst_delay_ms", 300.0, positive=True) * 1e-3),
        "trade_excitation": excitation,
        "dislocation_decay_ns": ns(m.number("dislocation_decay_ms", 80.0, positive=True) * 1e-3),
        "instruments": instruments,
        "venues": venues,
        "phases": phases,
    }
    m.done()
    return market


def main(argv: list[str] | None = None) -> int:
    """``python -m hotpath_lab.scenarios NAME``: print the generator config JSON."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m hotpath_lab.scenarios NAME|PATH", file=sys.stderr)
        return 2
    try:
        print(load_manifest(args[0]).config_json())
    except ManifestError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0
