"""The ``[strategy]`` table of a manifest, resolved against a scenario's metadata.

Kept apart from the rest of the manifest so the same strategy can be laid over any
market-data stream whose metadata names the accounts and instruments it refers to (for
example an imported exchange capture): see ``hotpath_lab.scenarios.generate.overlay``.
"""

from __future__ import annotations

from typing import Any

from hotpath_lab.scenarios.units import Table, ns


def _index(items: list[dict[str, Any]], key: str) -> dict[str, int]:
    return {str(x.get(key, "")): i for i, x in enumerate(items)}


def strategy_config(t: Table, meta: dict[str, Any]) -> dict[str, Any]:
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
        ins = instruments[i]
        q = tab.units(name, int(ins.get("qty_decimals", 0)), what="qty")
        if q < ins["lot_size"] or q % ins["lot_size"]:
            raise tab.error(
                name, f"must be a positive whole number of lots ({ins['lot_size']} units)"
            )
        if q > ins["max_order_qty"]:
            raise tab.error(name, "is above the instrument's max_order_qty")
        return q

    makers = []
    taken: set[int] = set()
    for m in t.tables("makers"):
        a = account(m, "account")
        if a in taken:
            raise m.error("account", "already runs a maker")
        taken.add(a)
        makers.append(
            {
                "account": a,
                "levels": m.integer("levels", 2, minimum=1, maximum=10),
                "offset_ticks": m.integer("offset_ticks", 0, minimum=0),
                "level_step_ticks": m.integer("level_step_ticks", 1, minimum=1),
                "size": m.number("size", 1.0, positive=True),
                "skew_ticks": m.number("skew_ticks", 0.0, minimum=0.0),
            }
        )
        m.done()
    sizes = t.table("quote_qty")
    quote = []
    for i, ins in enumerate(instruments):
        if not sizes.has(ins["symbol"]):
            raise sizes.error(ins["symbol"], "is missing (one quote size per instrument)")
        quote.append({"quote_qty": qty(sizes, ins["symbol"], i)})
    sizes.done()
    lo, hi = t.pair("reaction_us")
    if lo <= 0:
        raise t.error("reaction_us", "the shortest reaction must be > 0")
    cfg: dict[str, Any] = {
        "makers": makers,
        "instruments": quote,
        "reaction_ns": [ns(lo * 1e-6), ns(hi * 1e-6)],
        "reroute_share": t.share("reroute_share", 0.3),
        "requote_ticks": t.integer("requote_ticks", 1, minimum=1),
        "min_requote_ns": ns(t.number("min_requote_us", 500, minimum=0) * 1e-6),
        "hedge_threshold": t.share("hedge_threshold", 0.5),
        "hedge_target": t.share("hedge_target", 0.2),
        "hedge_market_share": t.share("hedge_market_share", 0.3),
        "hedge_slip_ticks": t.integer("hedge_slip_ticks", 5, minimum=0),
        "storm_ratio": t.number("storm_ratio", 6.0, minimum=1.0),
        "storm_pause_ns": ns(t.number("storm_pause_ms", 15, minimum=0) * 1e-3),
        "storm_cooldown_ns": ns(t.number("storm_cooldown_ms", 500, minimum=0) * 1e-3),
        "bad_share": t.number("bad_share", 0.01, minimum=0.0, maximum=0.5),
        "halted_retries": t.integer("halted_retries", 3, minimum=0),
        "preopen": t.boolean("preopen", True),
        "drill": None,
    }
    if cfg["hedge_target"] >= cfg["hedge_threshold"]:
        raise t.error("hedge_target", "must be below hedge_threshold")
    if t.has("drill"):
        d = t.table("drill")
        i = instrument(d, "instrument")
        venue = d.string("venue", meta["venues"][0]["name"])
        if venue not in venues:
            raise d.error("venue", f"{venue!r} is not a venue ({', '.join(venues)})")
        cfg["drill"] = {
            "account": account(d, "account"),
            "at": d.share("at"),
            "instrument": i,
            "venue": venues[venue],
            "qty": qty(d, "qty", i),
            "interval_ns": ns(d.number("interval_ms", 2, positive=True) * 1e-3),
            "max_orders": d.integer("max_orders", 200, minimum=1),
        }
        d.done()
    t.done()
    return cfg
