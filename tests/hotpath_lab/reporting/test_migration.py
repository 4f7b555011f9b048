"""The migration view of a run: the phases it measured, in migration order, with each
step's ratio, and the step chart."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from hotpath_lab import units
from hotpath_lab.cli import main
from hotpath_lab.reporting.migration import PHASES, step_ratio
from hotpath_lab.reporting.report import write_report
from hotpath_lab.storage import iter_runs, load_run

GOLDEN = Path(__file__).resolve().parents[2] / "golden" / "events-v1.hpe"


def section(text: str) -> str:
    start = text.index("## Migration path")
    return text[start : text.index("\n## ", start + 1)]


def with_builds(src: Path, dst: Path, builds: list[str]) -> Path:
    shutil.copytree(src, dst)
    shutil.rmtree(dst / "plots")  # drawn again by the report
    data = json.loads((dst / "run.json").read_text())
    data["options"]["builds"] = builds
    data["builds"] = {b: data["builds"][b] for b in builds}
    data["digests"] = {b: data["digests"][b] for b in builds}
    data["ratios"] = {
        pair: r for pair, r in data["ratios"].items() if set(pair.split("/")) <= set(builds)
    }
    (dst / "run.json").write_text(json.dumps(data))
    return dst


def test_the_phases_appear_in_migration_order_with_what_each_step_bought(
    sample_run: Path, tmp_path: Path
) -> None:
    # --builds in another order: the view still reads python → rust-ffi → rust-native
    folder = with_builds(sample_run, tmp_path / "run", ["rust-native", "python", "rust-ffi"])
    text = section(write_report(folder).read_text())
    run = load_run(folder)
    rows = [line for line in text.splitlines() if line.startswith("| ") and "`" in line]
    assert [r.split("`")[1] for r in rows] == ["python", "rust-ffi", "rust-native"]
    p99 = {b: run.build(b).latency_ns.e2e.p99 for b in run.builds}
    assert units.latency(p99["python"]) in rows[0]
    bought = step_ratio(p99["python"], p99["rust-ffi"])
    assert rows[1].endswith(f"p99 {units.ratio(bought)}, CPU " + rows[1].split("CPU ")[-1])
    assert f"p99 {units.ratio(bought)}" in rows[1]
    assert (folder / "plots" / "migration.png").stat().st_size > 10_000


def test_a_run_with_one_phase_has_no_migration_view(sample_run: Path, tmp_path: Path) -> None:
    folder = with_builds(sample_run, tmp_path / "run", ["rust-ffi"])
    text = write_report(folder).read_text()
    assert "## Migration path" not in text
    assert not (folder / "plots" / "migration.png").exists()


def test_step_ratio_says_how_many_times_lower() -> None:
    assert step_ratio(400.0, 100.0) == 4.0
    assert step_ratio(100.0, 400.0) == 0.25
    assert step_ratio(None, 1.0) is None and step_ratio(1.0, 0.0) is None
    assert [p.build for p in PHASES] == [
        "python", "hybrid-risk", "hybrid-risk-exec", "rust-ffi", "rust-native",
    ]  # fmt: skip


def test_bench_runs_the_hybrid_phases_side_by_side_and_they_agree(tmp_path: Path) -> None:
    builds = "python,hybrid-risk,hybrid-risk-exec"
    code = main([
        "bench", "--scenario", str(GOLDEN), "--builds", builds, "--warmup", "2",
        "--jitter-seconds", "0", "--no-overhead", "--results-dir", str(tmp_path),
    ])  # fmt: skip
    assert code == 0
    (info,) = iter_runs(tmp_path)
    run = load_run(info.path)
    assert run.agree and list(run.options.builds) == builds.split(",")
    assert len({run.build(b).digest for b in run.builds}) == 1
    text = section((info.path / "report.md").read_text())
    for label in ("0 · Python", "1 · Rust risk", "2 · Rust risk + execution"):
        assert label in text
