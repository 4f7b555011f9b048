"""One target measured over the wire: its process started and pinned, sampled from /proc
while the generator runs its warm-up and timed sessions against it, then stopped.

This is the one sequence both ``hotpath bench --mode wire`` and ``hotpath sweep`` use; a
sweep keeps one process for several generator runs (``measure_on``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from hotpath_lab.drivers.plugin import DropCopyTarget
from hotpath_lab.profiling.cpu import CpuSampler, CpuTrace, ProcSample, read_proc
from hotpath_lab.wire.loadgen import LoadgenOutput, LoadgenRequest, Ticker, run_loadgen
from hotpath_lab.wire.process import Listening, RunningGateway
from hotpath_lab.wire.sampling import peak_rss_bytes
from hotpath_lab.wire.targets import GatewayShape, WireTarget

SAMPLE_PERIOD_S = 0.1
BIND_HOST = "127.0.0.1"


@dataclass(frozen=True)
class Measurement:
    """A generator run against a target, and what its process did meanwhile."""

    target: WireTarget
    command: tuple[str, ...]
    listening: Listening
    core: int | None
    output: LoadgenOutput
    trace: CpuTrace
    """The process's CPU and RSS over the generator run (warm-up session included)."""
    final: ProcSample | None
    """The process just after the generator finished: its lifetime CPU so far."""
    peak_rss_bytes: int
    stopped: dict[str, Any] | None = field(default=None)
    """Its stopped line (set once the process is stopped)."""
    log: Path | None = None


@contextlib.contextmanager
def started(
    target: WireTarget, shape: GatewayShape, log: Path, *, core: int | None,
    bind_host: str = BIND_HOST, drop_copy: DropCopyTarget | None = None,
) -> Iterator[RunningGateway]:  # fmt: skip
    """The target's process listening on a free port of ``bind_host``, pinned to ``core``
    (publishing a drop-copy with ``drop_copy``)."""
    argv = target.command(f"tcp://{bind_host}:0", shape, drop_copy)
    with RunningGateway(target.name, argv, log, core=core) as gateway:
        yield gateway


def measure_on(
    gateway: RunningGateway,
    target: WireTarget,
    request: LoadgenRequest,
    *,
    expected_s: float,
    ticker: Ticker | None = None,
) -> Measurement:
    """Runs the generator against the running ``gateway`` while sampling it."""
    assert gateway.listening is not None
    sampler = CpuSampler(gateway.pid, SAMPLE_PERIOD_S).start()
    try:
        output = run_loadgen(request, expected_s=expected_s, ticker=ticker)
    finally:
        trace = sampler.stop()
    final = read_proc(gateway.pid)
    if final is not None:
        trace.samples.append(final)
    return Measurement(
        target=target,
        command=tuple(gateway.argv),
        listening=gateway.listening,
        core=gateway.core,
        output=output,
        trace=trace,
        final=final,
        peak_rss_bytes=peak_rss_bytes(gateway.pid) or 0,
        log=gateway.log,
    )


def measure(
    target: WireTarget,
    shape: GatewayShape,
    request: LoadgenRequest,
    *,
    core: int | None,
    expected_s: float,
    ticker: Ticker | None = None,
    drop_copy: DropCopyTarget | None = None,
) -> Measurement:
    """Starts ``target``, runs the generator against it (``request.connect`` is replaced by
    where it listens), stops it; the measurement carries its stopped line."""
    log = request.out / f"{request.label}.gateway.log"
    with started(target, shape, log, core=core, drop_copy=drop_copy) as gateway:
        assert gateway.listening is not None
        request = replace(request, connect=gateway.listening.endpoint)
        m = measure_on(gateway, target, request, expected_s=expected_s, ticker=ticker)
        stopped = gateway.stop()
    return replace(m, stopped=stopped)
