"""The run index ``hotpath:runs`` (``docs/dropcopy.md``): the harness adds an entry with
``state=start`` when a publishing pass begins and one with ``state=end`` when it has
finished; ``hotpath watch`` follows it to find what to show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import redis

from hotpath_format import RUNS_KEY
from hotpath_lab.dropcopy.client import command, connect
from hotpath_lab.dropcopy.readback import stream_entries


class RunIndexError(RuntimeError):
    """The index lacks what an end needs (the start of the same pass)."""


@dataclass(frozen=True, slots=True)
class PublishingPass:
    """One pass as the index tells it; times are Redis's (ms), from the entries' IDs."""

    run: str
    row: str
    prefix: str
    scenario: str
    started_ms: int
    ended_ms: int | None = None
    produced: int | None = None

    @property
    def ended(self) -> bool:
        return self.ended_ms is not None


def announce_start(url: str, run: str, row: str, prefix: str, scenario: str) -> None:
    """Records that the pass publishing under ``prefix`` begins."""
    fields = {"state": "start", "run": run, "row": row, "prefix": prefix, "scenario": scenario}
    client = connect(url)
    try:
        command(client, "XADD", RUNS_KEY, "*", *_flat(fields))
    finally:
        client.close()


def announce_end(url: str, prefix: str, produced: int) -> None:
    """Records that the pass under ``prefix`` has finished, having produced ``produced``
    reports; raises :class:`RunIndexError` if its start is not in the index."""
    client = connect(url)
    try:
        started = next((p for p in reversed(read_index(client)) if p.prefix == prefix), None)
        if started is None:
            raise RunIndexError(f"{RUNS_KEY} at {url} has no start of a pass under {prefix!r}")
        fields = {
            "state": "end",
            "run": started.run,
            "row": started.row,
            "prefix": prefix,
            "scenario": started.scenario,
            "produced": str(produced),
        }
        command(client, "XADD", RUNS_KEY, "*", *_flat(fields))
    finally:
        client.close()


def read_index(client: redis.Redis) -> list[PublishingPass]:
    """Every pass the index names, in the order they started (an end without a start, or an
    entry missing a field, is passed over: the index is advisory)."""
    passes: dict[str, PublishingPass] = {}
    for entry, raw in stream_entries(client, RUNS_KEY):
        fields = {k.decode(errors="replace"): v.decode(errors="replace") for k, v in raw.items()}
        ms = int(entry.split(b"-")[0])
        prefix = fields.get("prefix")
        if prefix is None:
            continue
        if fields.get("state") == "start":
            passes[prefix] = PublishingPass(
                run=fields.get("run", ""),
                row=fields.get("row", ""),
                prefix=prefix,
                scenario=fields.get("scenario", ""),
                started_ms=ms,
            )
        elif fields.get("state") == "end" and prefix in passes:
            produced = fields.get("produced", "")
            start = passes.pop(prefix)
            passes[prefix] = PublishingPass(
                run=start.run,
                row=start.row,
                prefix=prefix,
                scenario=start.scenario,
                started_ms=start.started_ms,
                ended_ms=ms,
                produced=int(produced) if produced.isdigit() else None,
            )
    return sorted(passes.values(), key=lambda p: p.started_ms)


def latest_run(passes: list[PublishingPass]) -> str | None:
    """The run of the pass that started last."""
    return passes[-1].run if passes else None


def _flat(fields: dict[str, str]) -> list[Any]:
    return [x for pair in fields.items() for x in pair]
