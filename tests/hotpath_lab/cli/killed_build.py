"""A build whose worker is killed as the kernel's OOM killer would kill it (SIGKILL), after
saying something on stderr: the harness must name the signal and keep that line."""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

from hotpath_format import ScenarioMeta
from hotpath_lab.drivers.plugin import Pipeline


class KilledBuild:
    name = "killed"
    description = "a build whose worker is SIGKILLed when it creates its engine"

    def create(
        self, meta: ScenarioMeta, n_events: int, *, stage_timing: bool, expected_orders: int = 0
    ) -> Pipeline:
        print("allocating the order book", file=sys.stderr, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
        raise AssertionError("unreachable")


def build() -> Any:
    return KilledBuild()
