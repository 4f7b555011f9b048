"""A real ``hotpath bench --mode wire`` (both gateways, both floors, a small scenario):
the run folder is complete, the digest check holds, every wire figure has its floor
multiples and the Python ÷ Rust ratios, and every reader of runs works on it."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest

from hotpath_format import read_events
from hotpath_lab.cli import main
from hotpath_lab.reporting import loader
from hotpath_lab.storage import encode, load_run
from hotpath_lab.storage.schema import run_schema
from hotpath_lab.wire.affinity import default_placement
from hotpath_lab.wire.digest_check import reference_digest

NOTEBOOKS = Path(__file__).resolve().parents[3] / "notebooks"
TARGETS = ("tcp-echo", "zmq-echo", "wire-rust", "wire-python")
HEADINGS = (
    "## Over the wire", "## Multiples of the floor", "## Digest check", "## Latency",
    "## Gateway CPU and memory", "## Files in this run folder",
)  # fmt: skip


def test_the_run_folder_is_complete(wire_run: Path) -> None:
    names = {p.name for p in wire_run.iterdir()}
    for t in TARGETS:
        for suffix in (".hlog", ".hgrm", ".service.hgrm", ".tick_to_book.hgrm", ".wire.json"):
            assert f"{t}{suffix}" in names, (t, suffix)
        assert f"cpu-{t}.csv" in names and f"{t}.gateway.log" in names
    assert {"wire-rust.hpr", "wire-python.hpr", "run.json", "report.md", "plots"} <= names
    assert "tcp-echo.hpr" not in names, "a floor sends no reports"
    plots = {p.name for p in (wire_run / "plots").iterdir()}
    assert plots == {"spectrum.png", "latency-over-time.png", "cpu-memory.png"}
    assert not [n for n in names if n.startswith(".") or n.endswith(".partial")]


def test_every_gateway_reproduced_the_in_process_reports(
    wire_run: Path, wire_scenario: Path
) -> None:
    run = load_run(wire_run)
    assert run.mode == "wire" and run.agree
    assert run.wire is not None and run.floors is not None
    ref = reference_digest(read_events(wire_scenario), "python")
    assert (run.wire.reference.digest, run.wire.reference.reports) == (ref.digest, ref.reports)
    assert run.wire.reference.build == "rust-native"
    for b in ("wire-rust", "wire-python"):
        build = run.build(b)
        assert build.driver == "wire" and build.digest == ref.digest
        assert run.wire.gateway_digests[b] == ref.digest
        assert build.reports == ref.reports == build.outcomes.reports
        assert build.wire is not None and build.wire.finished["digest"] == ref.digest
    assert run.wire.divergences == {}


def test_figures_floor_multiples_and_ratios(wire_run: Path) -> None:
    run = load_run(wire_run)
    assert run.wire is not None and run.floors is not None
    assert list(run.measured) == list(TARGETS)
    zmq = run.target("zmq-echo").latency_ns.e2e
    for t in ("tcp-echo", "wire-rust", "wire-python"):
        m = run.wire.floor_multiples[f"{t}/zmq-echo"]
        e2e = run.target(t).latency_ns.e2e
        assert m.e2e_p99 == pytest.approx(e2e.p99 / zmq.p99)
        assert m.e2e_p50 == pytest.approx(e2e.p50 / zmq.p50)
    assert set(run.ratios) == {"wire-python/wire-rust"}
    r = run.ratios["wire-python/wire-rust"]
    py, rs = run.build("wire-python"), run.build("wire-rust")
    assert r.e2e_p99 == pytest.approx(py.latency_ns.e2e.p99 / rs.latency_ns.e2e.p99)
    assert r.throughput_orders is None and r.engine_memory is None
    placement = default_placement()
    for name, t in run.measured.items():
        w = t.wire
        assert w is not None and w.gateway.cpu == placement.gateway, name
        assert w.loadgen_cpu == placement.loadgen
        assert w.gateway.peak_rss_bytes > 1 << 20 and w.gateway.cpu_s > 0
        assert t.latency_ns.risk.count == 0, "stages are not observable over the wire"
        assert t.latency_ns.e2e.count == t.order_requests > 0
        assert w.achieved_per_s > 0 and w.frames > 0


def test_run_json_validates_and_round_trips(wire_run: Path) -> None:
    data = json.loads((wire_run / "run.json").read_text())
    jsonschema.Draft202012Validator(run_schema()).validate(data)
    assert data["schema"] == "hotpath.run/3" and data["mode"] == "wire"
    assert encode(load_run(wire_run)) == data
    for section in ("timed_pass", "gc", "memory", "throughput"):
        assert section not in data["builds"]["wire-rust"], "in-process sections are absent"


def test_results_commands_read_a_wire_run(
    wire_run: Path, wire_results: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["results", "--results-dir", str(wire_results), "show", str(wire_run)]) == 0
    out = capsys.readouterr().out
    for text in ("over the wire", "multiples of the floor", "wire-python/wire-rust",
                 "every gateway reproduced the in-process reports"):  # fmt: skip
        assert text in out, text
    assert main(["results", "--results-dir", str(wire_results), "list"]) == 0
    assert "wire-rust" in capsys.readouterr().out
    assert main(["results", "compare", str(wire_run), str(wire_run), "--replicates", "60"]) == 0
    out = capsys.readouterr().out
    assert "zmq-echo" in out and "no clear change" in out
    out_dir = tmp_path / "report"
    assert main(["results", "report", str(wire_run), "--out", str(out_dir)]) == 0
    assert "## Digest check" in (out_dir / "report.md").read_text()


def test_compare_names_another_gateway_shape(
    wire_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other"
    shutil.copytree(wire_run, other)
    data = json.loads((other / "run.json").read_text())
    data["wire"]["settings"]["poll"] = "park"
    (other / "run.json").write_text(json.dumps(data))
    assert main(["results", "compare", str(wire_run), str(other), "--replicates", "60"]) == 0
    assert "not like for like: --poll differs (spin → park)" in capsys.readouterr().err


def test_the_notebooks_run_on_a_wire_run(wire_run: Path, tmp_path: Path) -> None:
    """Each analysis notebook runs top to bottom on a wire run: what only exists in
    process (stages, GC) is empty, not an error."""
    import nbformat
    from nbclient import NotebookClient

    for name in ("compare_p99.ipynb", "gc_tail.ipynb", "stage_breakdown.ipynb"):
        nb = nbformat.read(NOTEBOOKS / name, as_version=4)
        (params,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        params.source = f"RUN = {str(wire_run)!r}\nRESULTS = {str(wire_run.parent.parent)!r}"
        NotebookClient(
            nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
        ).execute()
        text = "".join(
            str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", ""))
            for c in nb.cells
            for o in c.get("outputs", [])
        )
        assert "wire-rust" in text, name


def test_the_report_links_every_file(wire_run: Path) -> None:
    text = (wire_run / "report.md").read_text()
    for heading in HEADINGS:
        assert heading in text, heading
    links = re.findall(r"\]\(([^)]+)\)", text)
    assert links and all((wire_run / link).exists() for link in links), links


def test_the_loader_gives_floors_and_wire_figures(wire_run: Path) -> None:
    frame = loader.run_frame(wire_run)
    assert set(frame["build"]) == set(TARGETS)
    assert set(frame["metric"]) == {"e2e", "service", "tick_to_book"}
    wire = loader.wire_frame(wire_run)
    assert list(wire["build"]) == list(TARGETS)
    assert wire.loc[wire["build"] == "zmq-echo", "zmq_floor_p99"].item() == 1.0
    assert set(loader.spectrum_frame(wire_run)["build"]) == set(TARGETS)
    assert set(loader.interval_frame(wire_run)["build"]) == set(TARGETS)
    assert set(loader.cpu_frame(wire_run)["build"]) == set(TARGETS)
    assert loader.gc_frame(wire_run).empty and loader.gc_summary(wire_run).empty
    runs = loader.load_runs(wire_run.parent.parent)
    assert set(runs["mode"]) == {"wire"} and set(runs["build"]) == {"wire-rust", "wire-python"}
    assert runs["gc_count"].isna().all() and runs["peak_rss_bytes"].notna().all()
