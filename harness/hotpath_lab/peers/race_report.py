"""The replay race as a table (terminal and markdown) from its results document."""

from __future__ import annotations

from typing import Any

HEADERS = (
    "side",
    "loop",
    "level updates",
    "rows walked",
    "replay s",
    "level updates/s",
    "own events/s",
)


def loop_rows(doc: dict[str, Any]) -> list[tuple[str, ...]]:
    """One row per loop: the capture's level updates per second of replay, the common figure."""
    return [
        (
            str(loop["side"]),
            str(loop["loop"]),
            f"{loop['events']:,}",
            f"{loop['rows_walked']:,}",
            f"{loop['replay_s']:.3f}",
            f"{loop['level_updates_per_s'] / 1e6:.2f} M",
            f"{loop['events_per_s'] / 1e6:.2f} M",
        )
        for loop in doc["loops"]
    ]


def preparation_lines(doc: dict[str, Any]) -> list[str]:
    p = doc["preparation"]
    return [
        f"hftbacktest conversion {p['hftbacktest_convert_s']:.2f} s "
        f"(numba JIT warm-up {p['hftbacktest_jit_warmup_s']:.2f} s, done first, excluded)",
        f"ours import {p['ours_import_s']:.2f} s, write {p['ours_write_s']:.2f} s, "
        f"order-flow overlay {p['ours_order_flow_overlay_s']:.2f} s",
    ]


def race_markdown(doc: dict[str, Any]) -> str:
    env = doc["environment"]
    hft = env["hftbacktest_toolchain"]
    lines = [
        f"# Replay race: hftbacktest and hotpath on {doc['capture']['name']}",
        "",
        f"{doc['created']} · {env['cpu_model']} ({env['cpu_count']} CPUs) · "
        f"git {env['git']['short']}{' (dirty)' if env['git']['dirty'] else ''} · "
        f"Python {env['python']}, {env['rustc']}, extension {env['toolkit_build_profile']} · "
        f"hftbacktest {hft['hftbacktest']}, numba {hft['numba']}, numpy {hft['numpy']} · "
        f"median of {doc['repeat']} passes per loop",
        "",
        f"Level updates in the capture (futures files; {doc['capture']['excluded']}): "
        f"**{doc['count']['level_updates']:,}** — {doc['count']['definition']}.",
        "",
        "| " + " | ".join(HEADERS) + " |",
        "|" + "---|" * len(HEADERS),
    ]
    lines += ["| " + " | ".join(row) + " |" for row in loop_rows(doc)]
    lines += ["", "What each loop does per event:", ""]
    lines += [f"- {loop['side']} / {loop['loop']}: {loop['does']}" for loop in doc["loops"]]
    lines += ["", "Preparation (not in replay time):", ""]
    lines += [f"- {line}" for line in preparation_lines(doc)]
    lines += ["", "Reconciliation (each side's count as measured terms, per file):", "", "```"]
    lines += reconciliation_text(doc)
    lines += ["```", ""]
    c = doc["consumed"]
    lines += [
        "Every event consumed: hftbacktest's feed loop woke "
        f"{c['hftbacktest_feed_wakes']:,} times for {c['hftbacktest_distinct_local_ts']:,} "
        "distinct local timestamps (the last one ends the data instead of waking it) and "
        f"its depth holds the final rows' sizes: {c['hftbacktest_feed_last_rows_applied']}; "
        f"our loops replayed {c['ours_market_records']:,} and {c['ours_orders_records']:,} "
        f"records; final tops agree: {all(t['agree'] for t in c['final_tops'])}.",
        "",
    ]
    return "\n".join(lines)


def reconciliation_text(doc: dict[str, Any]) -> list[str]:
    """The reconciliation lines from the document (the same text the CLI prints)."""
    out = []
    for r in doc["reconciliation"]:
        h, o = r["hftbacktest"], r["ours"]
        out.append(f"{r['file']}: {r['level_updates']:,} level updates in the capture")
        out.append(
            f"  hftbacktest {h['level_updates']:,} = {h['depth']:,} diff levels + "
            f"{h['snapshot']:,} snapshot levels + {h['trade']:,} trades "
            f"[+ {h['clear']} clear rows, + {h['exch_only_rows']:,} exchange-only copies] "
            f"{'= census' if h['matches_census'] else '!= census'}"
        )
        verdict = (
            "reconciled" if o["matches"] else f"off by {o['records'] - o['explained_records']:,}"
        )
        if not o["exact"]:
            verdict += " (sync was lost: the dropped diffs are not a prefix)"
        out.append(
            f"  ours {o['records']:,} = {o['diff_levels']:,} diff levels"
            f" - {o['levels_in_diffs_dropped_before_sync']:,} in diffs before sync"
            f" - {o['levels_unchanged']:,} unchanged + {o['snapshot_levels']:,} snapshot levels"
            f" + {o['levels_cleared']:,} cleared + {o['ticker_deltas']:,} ticker"
            f" + {o['trades']:,} trades  {verdict}"
        )
    return out
