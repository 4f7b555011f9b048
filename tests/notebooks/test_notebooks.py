"""The analysis notebooks run top to bottom on a fresh run, and their key cells show the
expected tables. Committed notebooks carry no outputs."""

from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from hotpath_lab.storage import load_run

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
BUILDS = ("python", "rust-ffi", "rust-native")

# tag of a key cell → text its table must show (besides every build's name)
KEY_CELLS: dict[str, dict[str, tuple[str, ...]]] = {
    "compare_p99.ipynb": {
        "p99-by-build": ("p99 µs", "low µs", "high µs", "method"),
        "p99-ratio": ("python / rust-ffi", "python / rust-native", "low", "high"),
        "p99-by-run": ("run_id", "git", "p99 µs", "machine noise %"),
    },
    "gc_tail.ipynb": {
        "gc-summary": ("collections", "total_pause_ms", "slowest_in_pause"),
        "tail-table": ("collections", "slowest 1% in pause", "tail_in_paused_share"),
        "interval-pauses": ("interval", "p99", "pauses"),
    },
    "migration_path.ipynb": {
        "phase-percentiles": ("phase", "p99 µs", "p99 low µs", "p99 high µs", "CPU/order µs"),
        "step-ratios": ("python → rust-ffi", "rust-ffi → rust-native", "p99 ×", "measurable"),
    },
    "stage_breakdown.ipynb": {
        "stage-p50": ("validation", "risk", "execution"),
        "stage-p99": ("validation", "risk", "execution"),
        "stage-contributions": ("queueing", "validation", "other"),
        "profile-owners": ("driver (harness)", "FFI / bindings"),
    },
}


def output_text(cell: Any) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(out.get("text", ""))
        data = out.get("data", {})
        parts.append(data.get("text/plain", ""))
    return "\n".join(parts)


def execute(name: str, run: Path, tmp_path: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    (params,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    params.source = f"RUN = {str(run)!r}\nRESULTS = {str(run.parent.parent)!r}"
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    return nb


@pytest.mark.parametrize("name", sorted(KEY_CELLS))
def test_notebook_runs_and_its_key_cells_show_the_tables(
    name: str, sample_run: Path, tmp_path: Path
) -> None:
    nb = execute(name, sample_run, tmp_path)
    assert all(out.get("output_type") != "error" for c in nb.cells for out in c.get("outputs", []))
    by_tag = {t: c for c in nb.cells for t in c.metadata.get("tags", [])}
    for tag, expected in KEY_CELLS[name].items():
        text = output_text(by_tag[tag])
        for word in expected:
            assert word in text, (name, tag, word, text[:500])
        if tag not in ("p99-ratio", "stage-contributions", "interval-pauses", "step-ratios"):
            for build in BUILDS:
                assert build in text, (name, tag, build)


def test_the_p99_table_holds_each_runs_own_p99_inside_its_interval(
    sample_run: Path, tmp_path: Path
) -> None:
    nb = nbformat.read(NOTEBOOKS / "compare_p99.ipynb", as_version=4)
    check = nbformat.v4.new_code_cell(
        "_t = by_build.set_index('build')\n"
        "assert (_t['low µs'] <= _t['p99 µs']).all() and (_t['p99 µs'] <= _t['high µs']).all()\n"
        "for _b, _r in run.builds.items():\n"
        "    assert abs(_t.loc[_b, 'p99 µs'] * 1e3 - _r.latency_ns.e2e.p99) < 1e-3, _b\n"
        "print('checked', len(_t))"
    )
    nb.cells.append(check)
    (params,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    params.source = f"RUN = {str(sample_run)!r}\nRESULTS = None"
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    assert "checked 3" in output_text(nb.cells[-1])
    assert len(load_run(sample_run).builds) == 3


@pytest.mark.parametrize("name", sorted(KEY_CELLS))
def test_committed_notebooks_have_no_outputs(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, name
