"""The digest check of every wire run: each gateway must answer the scenario with exactly
the reports the same scenario gives in process.

The reference is an in-process replay (``replay.replay``, the machinery of ``hotpath
shadow``) by a build that is already proven shadow-equal to the others; rust-native is the
quickest. A gateway differs when the generator's digest of the reports it received, or the
digest in the gateway's own FINISHED summary, is not the reference's. The first diverging
report is then located the way ``hotpath shadow`` does (``shadow.first_divergence``).
"""

from __future__ import annotations

from pathlib import Path

from hotpath_format import EventFile, read_reports
from hotpath_lab.drivers.builds import BUILTIN
from hotpath_lab.drivers.plugin import load_build
from hotpath_lab.replay import replay
from hotpath_lab.shadow import describe_report, first_divergence
from hotpath_lab.storage import BuildResult
from hotpath_lab.storage.wire_model import ReferenceDigest

REFERENCE_BUILD = "rust-native"


def reference_digest(scenario: EventFile, build: str = REFERENCE_BUILD) -> ReferenceDigest:
    """The scenario replayed in process by ``build``: its report digest and count."""
    r = replay(load_build(build, BUILTIN), scenario)
    return ReferenceDigest(build=r.build, digest=r.digest, reports=len(r.reports))


def gateway_agrees(reference: ReferenceDigest, build: BuildResult, gateway_digest: str) -> bool:
    """Both digests of a gateway build (the generator's and the gateway's) are the
    reference's."""
    return build.digest == reference.digest and gateway_digest == reference.digest


def divergence(scenario: EventFile, reference: ReferenceDigest, received: Path) -> str:
    """Where the reports in ``received`` (a ``.hpr``) first differ from the reference
    build's: one line naming the report, both versions and the input event."""
    ref = replay(load_build(reference.build, BUILTIN), scenario).reports
    got = read_reports(received).records
    d = first_divergence(ref, got)
    if d is None:
        return "the reports received are the reference's; the gateway's FINISHED digest is not"
    return (
        f"report {d.index + 1} (input event {d.event_index}): in process "
        f"{describe_report(d.a)}; over the wire {describe_report(d.b)}"
    )
