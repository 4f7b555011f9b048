"""The files of a wire run read strictly: the generator's summary refuses what it does not
know, the digest check locates the first report that differs, and the gateway's CPU is
read off its samples at the timed session's two ends."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from hotpath_format import read_events, read_reports, write_reports
from hotpath_lab.profiling.cpu import CpuTrace, ProcSample
from hotpath_lab.storage import ResultsError, load_run
from hotpath_lab.wire.digest_check import divergence, gateway_agrees
from hotpath_lab.wire.loadgen_report import read_loadgen_report
from hotpath_lab.wire.sampling import cpu_at, session_cpu, with_phases


def _rewrite(src: Path, dst: Path, change: object) -> Path:
    data = json.loads(src.read_text())
    change(data)  # type: ignore[operator]
    dst.write_text(json.dumps(data))
    return dst


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(surprise=1), "surprise: unknown field (not in LoadgenReport)"),
        (lambda d: d.pop("trend"), "trend: missing"),
        (
            lambda d: d["latency_ns"]["e2e"].update(p99="x"),
            "latency_ns.e2e.p99: expected an integer",
        ),
        (
            lambda d: d.update(schema="hotpath.wire/2"),
            "schema 'hotpath.wire/2' is not 'hotpath.wire/1'",
        ),
    ],
)
def test_the_generators_summary_is_read_strictly(
    wire_run: Path, tmp_path: Path, change: object, message: str
) -> None:
    good = read_loadgen_report(wire_run / "wire-rust.wire.json")
    assert good.target == "gateway" and good.gateway_digest == good.digest
    bad = _rewrite(wire_run / "wire-rust.wire.json", tmp_path / "x.wire.json", change)
    with pytest.raises(ResultsError, match=re.escape(message)) as err:
        read_loadgen_report(bad)
    assert str(bad) in str(err.value)


def test_a_report_that_differs_is_located(
    wire_run: Path, wire_scenario: Path, tmp_path: Path
) -> None:
    run = load_run(wire_run)
    assert run.wire is not None
    received = read_reports(wire_run / "wire-rust.hpr")
    changed = received.records.copy()
    changed[5]["qty"] += 1
    altered = tmp_path / "altered.hpr"
    write_reports(altered, changed, received.meta)
    where = divergence(read_events(wire_scenario), run.wire.reference, altered)
    assert where.startswith("report 6 (input event ") and "over the wire" in where
    same = divergence(read_events(wire_scenario), run.wire.reference, wire_run / "wire-rust.hpr")
    assert "FINISHED digest" in same
    build = run.build("wire-rust")
    ref = run.wire.reference
    assert gateway_agrees(ref, build, ref.digest)
    assert not gateway_agrees(ref, build, "0" * 64), "the gateway's own digest counts too"


def _sample(t_ns: int, cpu_ns: int) -> ProcSample:
    return ProcSample(t_ns=t_ns, phase="", cpu_ns=cpu_ns, user_ticks=0, system_ticks=0,
                      rss_bytes=1, threads=1)  # fmt: skip


def test_session_cpu_interpolates_between_samples() -> None:
    trace = CpuTrace([_sample(0, 0), _sample(100, 100), _sample(200, 150), _sample(300, 150)])
    assert cpu_at(trace.samples, 50) == pytest.approx(50e-9)
    assert cpu_at(trace.samples, -5) == 0 and cpu_at(trace.samples, 400) == pytest.approx(150e-9)
    s = session_cpu(trace, 50, 100e-9)  # from 50 to 150 ns
    assert s.cpu_s == pytest.approx(75e-9) and s.share == pytest.approx(0.75)
    phases = [x.phase for x in with_phases(trace, 50, 100e-9).samples]
    assert phases == ["warmup", "timed", "after", "after"]


def test_the_gateway_cpu_csv_is_on_the_sessions_time_axis(wire_run: Path) -> None:
    import pandas as pd

    cpu = pd.read_csv(wire_run / "cpu-wire-rust.csv", keep_default_na=False)
    assert {"warmup", "timed"} <= set(cpu["phase"])
    timed = cpu[cpu["phase"] == "timed"]["t_ms"]
    wall_ms = load_run(wire_run).build("wire-rust").wire.wall_s * 1e3  # type: ignore[union-attr]
    assert timed.min() >= 0 and timed.max() <= wall_ms + 1
