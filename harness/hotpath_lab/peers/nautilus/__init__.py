"""The ``nautilus`` build: the scenario's order flow, on its market data, through
NautilusTrader's own order path (docs/peers.md). A peer: not shadow-equal.

Importing this package does not import NautilusTrader (the orchestrator loads the build in
the lab's venv, where it is absent); the pipeline, which does, is imported by ``create`` in
the worker, which runs on the peers venv's interpreter when the lab's cannot import it.
"""

from __future__ import annotations

from hotpath_format import ScenarioMeta
from hotpath_lab.drivers.plugin import Pipeline
from hotpath_lab.peers.interpreter import peer_interpreter

PACKAGE = "nautilus_trader"
PINNED = "1.221.0"
"""The version ``make peers`` installs (requirements/peers.txt)."""


class NautilusBuild:
    name = "nautilus"
    description = (
        f"NautilusTrader {PINNED}'s order path: OrderFactory → RiskEngine (pre-trade checks "
        "on) → ExecutionEngine → simulated venue, driven by the lab's Python loop; a peer, "
        "not shadow-equal (docs/peers.md)"
    )
    shadow_equal = False
    peer_package = PACKAGE

    def __init__(self) -> None:
        self.interpreter = peer_interpreter(self.name, PACKAGE)

    def create(
        self, meta: ScenarioMeta, n_events: int, *, stage_timing: bool, expected_orders: int = 0
    ) -> Pipeline:
        from hotpath_lab.peers.nautilus.pipeline import NautilusPipeline

        pipeline: Pipeline = NautilusPipeline(meta, n_events, stage_timing, start_ns=0)
        return pipeline
