"""The peers of a run (docs/peers.md): what each one's path decided for the scenario's order
requests, and the latency of its submit path and of submit → accepted, beside the builds'
end-to-end figures. A run without a peer gets no section."""

from __future__ import annotations

from hotpath_lab import units
from hotpath_lab.reporting import markdown as md
from hotpath_lab.reporting.run_data import RunData
from hotpath_lab.storage.run_model import LatencySummary

OUTCOMES = (
    ("accepted", "accepted"),
    ("filled_without_ack", "filled, not acked"),
    ("replaced", "replaced"),
    ("cancelled", "cancelled"),
    ("denied_by_risk", "denied (its risk)"),
    ("rejected_by_venue", "rejected (venue)"),
    ("refused_by_adapter", "not expressible"),
    ("unanswered", "unanswered"),
)


def peers_section(data: RunData) -> str:
    peers = [(b, data.build(b)) for b in data.builds if not data.build(b).shadow_equal]
    if not peers:
        return ""
    outcome_rows = []
    latency_rows = []
    for name, build in peers:
        peer = build.peer
        assert peer is not None  # not shadow-equal means a peer section
        outcome_rows.append(
            [f"`{name}`", peer.requests.get("requests")]
            + [peer.requests.get(key) for key, _ in OUTCOMES]
        )
        for what, s in (
            ("its submit path", peer.submit_ns),
            ("submit → accepted", peer.submit_to_accepted_ns),
            ("submit → first answer", peer.submit_to_answer_ns),
            ("e2e (intended → done)", build.latency_ns.e2e),
        ):
            latency_rows.append([f"`{name}`", what, *_percentiles(s)])
    versions = ", ".join(
        f"`{n}`: {b.peer.package} {b.peer.version or '?'}" for n, b in peers if b.peer
    )
    return (
        "## Peers\n\n"
        f"Other projects' order paths on the same scenario ({versions}; docs/peers.md). "
        "They do not implement our contract: their outcomes differ by design, their report "
        "streams are their own, and they are not part of the digest check.\n\n"
        + md.table(["peer", "requests", *(label for _, label in OUTCOMES)], outcome_rows)
        + "\n"
        + md.table(
            ["peer", "latency", "count", "p50", "p99", "p99.9", "max"], latency_rows, "llrrrrr"
        )
    )


def _percentiles(s: LatencySummary) -> list[object]:
    return [s.count, *(units.latency(v) for v in (s.p50, s.p99, s.p999, s.max))]
