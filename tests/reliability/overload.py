"""Overload: a gateway offered twice the highest rate it sustains, session after session,
for a fixed time (docs/reliability.md, "Overload").

The generator (``hotpath-loadgen``, open loop, window 2) keeps every event's intended time
at the offered rate; a gateway that cannot keep up pushes back through the window, so the
backlog builds in the generator, where it is measured (``send_lag``, the e2e trend), not in
the gateway. What must hold, session after session: every event gets its reports exactly
once (the generator's digest of what it received and the gateway's own both equal the
in-process replay's, and so do the report counts), and the gateway's resident memory stays
bounded (no growth from one session to the next beyond the allocators' slack).

Run by hand: ``python tests/reliability/overload.py TARGET RATE SECONDS [SCENARIO]``.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import hotpath_rs

from hotpath_format import read_events, report_digest
from hotpath_lab.wire.loadgen import LoadgenRequest, run_loadgen
from hotpath_lab.wire.process import RunningGateway
from hotpath_lab.wire.targets import TARGETS, GatewayShape


@dataclass
class Session:
    offered_per_s: float
    achieved_per_s: float
    e2e_p50_first_us: float
    e2e_p50_last_us: float
    send_lag_p99_us: float
    in_flight_max: int
    rss_kb: int
    agrees: bool
    """Both digests and the report count equal the in-process replay's."""


@dataclass
class OverloadResult:
    target: str
    rate_per_s: float
    seconds: float
    events_per_session: int
    reference_reports: int
    sessions: list[Session] = field(default_factory=list)
    peak_kb: int = 0
    stopped: dict[str, object] = field(default_factory=dict)

    @property
    def events(self) -> int:
        return self.events_per_session * len(self.sessions)

    @property
    def rss_growth_kb(self) -> int:
        """Peak resident memory over the run minus the resident memory after session 1."""
        return self.peak_kb - self.sessions[0].rss_kb


def run_overload(
    target: str, scenario: Path, rate: float, seconds: float, out: Path
) -> OverloadResult:
    """Sessions of ``scenario`` at ``rate`` events/s against a fresh ``target`` until
    ``seconds`` have passed (at least one)."""
    loaded = read_events(scenario)
    reference = hotpath_rs.replay(loaded.meta.to_json(), loaded.records)
    want_digest = report_digest(reference)
    result = OverloadResult(target, rate, seconds, len(loaded.records), len(reference))
    argv = TARGETS[target].command("tcp://127.0.0.1:0", GatewayShape(poll="park"))
    with RunningGateway(target, argv, out / f"{target}.log") as gateway:
        assert gateway.listening is not None
        started = time.monotonic()
        while not result.sessions or time.monotonic() - started < seconds:
            label = f"session-{len(result.sessions) + 1}"
            request = LoadgenRequest(
                scenario, gateway.listening.endpoint, out, label, "gateway", pace=f"rate:{rate:g}"
            )
            report = run_loadgen(request, expected_s=len(loaded.records) / rate).report
            e2e = report.latency_ns
            result.sessions.append(
                Session(
                    offered_per_s=report.offered_per_s or 0.0,
                    achieved_per_s=report.achieved_per_s,
                    e2e_p50_first_us=(report.trend.e2e_p50_first_ns or 0) / 1e3,
                    e2e_p50_last_us=(report.trend.e2e_p50_last_ns or 0) / 1e3,
                    send_lag_p99_us=e2e.send_lag.p99 / 1e3,
                    in_flight_max=report.in_flight_max,
                    rss_kb=_status_kb(gateway.pid, "VmRSS"),
                    agrees=report.digest == want_digest == report.gateway_digest
                    and report.reports == len(reference),
                )
            )
            for name in out.glob(f"{label}.*"):
                name.unlink()  # each session's histograms: not needed, and 60 s makes many
        result.peak_kb = _status_kb(gateway.pid, "VmHWM")
        result.stopped = gateway.stop()
    return result


def _status_kb(pid: int, name: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1])
    raise KeyError(name)


def main(argv: list[str]) -> None:
    target, rate, seconds = argv[0], float(argv[1]), float(argv[2])
    from hotpath_lab.scenarios import build_scenario

    scenario = Path(argv[3]) if len(argv) > 3 else build_scenario("volatility", scale=0.1)
    out = Path("target") / "overload" / target
    out.mkdir(parents=True, exist_ok=True)
    result = run_overload(target, scenario, rate, seconds, out)
    summary = {
        **{k: v for k, v in asdict(result).items() if k != "sessions"},
        "sessions": len(result.sessions),
        "events": result.events,
        "all_agree": all(s.agrees for s in result.sessions),
        "rss_kb_after_first": result.sessions[0].rss_kb,
        "rss_growth_kb": result.rss_growth_kb,
        "achieved_per_s_median": sorted(s.achieved_per_s for s in result.sessions)[
            len(result.sessions) // 2
        ],
        "send_lag_p99_us_max": max(s.send_lag_p99_us for s in result.sessions),
        "e2e_p50_last_us_max": max(s.e2e_p50_last_us for s in result.sessions),
        "in_flight_max": max(s.in_flight_max for s in result.sessions),
    }
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
