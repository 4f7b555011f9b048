"""The ``[strategy]`` table of a manifest, resolved against a scenario's metadata.

Kept apart from the rest of the manifest so the same strategy can be laid over any
market-data stream whose metadata names the accounts and instruments it refers to (for
example an imported exchange capture): see ``hotpath_lab.scenarios.generate.overlay``.
Like the rest of the manifest it is only translated here (names to ids, sizes to units,
times to ns); the generator's config rules judge it.
"""

from __future__ import annotations

from typing import Any

from hotpath_lab.scenarios.origins import Origins
from hotpath_lab.scenarios.units import Table


def _index(items: list[dict[str, Any]], key: str) -> dict[str, int]:
    return {str(x.get(key, "")): i for i, x in enumerate(items)}


def strategy_config(t: Table, meta: dict[str, Any], origins: Origins) -> dict[str, Any]:
    """The generator's ``strategy`` object: names resolved to ids, sizes to units."""
    instruments: list[dict[str, Any]] = meta["instruments"]
    accounts = _index(meta["accounts"], "name")
    venues = _index(meta["venues"], "name")
    symbols = _index(instruments, "symbol")

    def account(tab: Table, name: str) -> int:
        a = tab.string(name)
        if a not in accounts:
            raise tab.error(name, f"{a!r} is not an account ({', '.join(accounts)})")
        return accounts[a]

    def instrument(tab: Table, name: str) -> int:
        s = tab.string(name)
        if s not in symbols:
            raise tab.error(name, f"{s!r} is not an instrument ({', '.join(symbols)})")
        return symbols[s]

    def qty(tab: Table, name: str, i: int) -> int:
        return tab.units(name, int(instruments[i].get("qty_decimals", 0)), what="qty")

    makers = []
    for k, m in enumerate(t.tables("makers")):
        makers.append(
            {
                "account": account(m, "account"),
                "levels": m.u32("levels", 2),
                "offset_ticks": m.i64("offset_ticks", 0),
                "level_step_ticks": m.i64("level_step_ticks", 1),
                "size": m.number("size", 1.0),
                "skew_ticks": m.number("skew_ticks", 0.0),
            }
        )
        m.done()
        origins.table(f"strategy.makers[{k}]", m, **{f: f for f in makers[-1]})
    sizes = t.table("quote_qty")
    quote = []
    for i, ins in enumerate(instruments):
        if not sizes.has(ins["symbol"]):
            raise sizes.error(ins["symbol"], "is missing (one quote size per instrument)")
        quote.append({"quote_qty": qty(sizes, ins["symbol"], i)})
        origins.note(f"strategy.instruments[{i}]", sizes.key(ins["symbol"]))
    sizes.done()
    cfg: dict[str, Any] = {
        "makers": makers,
        "instruments": quote,
        "reaction_ns": t.time_pair_ns("reaction_us", 1e-6),
        "reroute_share": t.number("reroute_share", 0.3),
        "requote_ticks": t.i64("requote_ticks", 1),
        "min_requote_ns": t.time_ns("min_requote_us", 1e-6, 500),
        "hedge_threshold": t.number("hedge_threshold", 0.5),
        "hedge_target": t.number("hedge_target", 0.2),
        "hedge_market_share": t.number("hedge_market_share", 0.3),
        "hedge_slip_ticks": t.i64("hedge_slip_ticks", 5),
        "storm_ratio": t.number("storm_ratio", 6.0),
        "storm_pause_ns": t.time_ns("storm_pause_ms", 1e-3, 15),
        "storm_cooldown_ns": t.time_ns("storm_cooldown_ms", 1e-3, 500),
        "bad_share": t.number("bad_share", 0.01),
        "halted_retries": t.u32("halted_retries", 3),
        "preopen": t.boolean("preopen", True),
        "drill": None,
    }
    origins.note("strategy.makers", t.key("makers"))
    origins.note("strategy.instruments", sizes.path)
    renamed = {
        "reaction_ns": "reaction_us",
        "min_requote_ns": "min_requote_us",
        "storm_pause_ns": "storm_pause_ms",
        "storm_cooldown_ns": "storm_cooldown_ms",
    }
    fields = [f for f in cfg if f not in ("makers", "instruments", "drill")]
    origins.table("strategy", t, **{f: renamed.get(f, f) for f in fields})
    if t.has("drill"):
        d = t.table("drill")
        i = instrument(d, "instrument")
        venue = d.string("venue", meta["venues"][0]["name"])
        if venue not in venues:
            raise d.error("venue", f"{venue!r} is not a venue ({', '.join(venues)})")
        cfg["drill"] = {
            "account": account(d, "account"),
            "at": d.number("at"),
            "instrument": i,
            "venue": venues[venue],
            "qty": qty(d, "qty", i),
            "interval_ns": d.time_ns("interval_ms", 1e-3, 2),
            "max_orders": d.u32("max_orders", 200),
        }
        d.done()
        drill_keys = {f: f for f in cfg["drill"]} | {"interval_ns": "interval_ms"}
        origins.table("strategy.drill", d, **drill_keys)
    t.done()
    return cfg
