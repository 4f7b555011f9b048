"""run.json through the model: a real bench run validates against the published schema and
round-trips; bad documents are refused naming the file and the field; optional sections are
None; the schema file is what the model generates."""

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from hotpath_lab.bench import ratios
from hotpath_lab.cli import main
from hotpath_lab.storage import (
    RUN_SCHEMA,
    ResultsError,
    encode,
    iter_runs,
    load_run,
    parse_run,
    run_json_bytes,
)
from hotpath_lab.storage.figures import FIGURE, python_ratios
from hotpath_lab.storage.run_model import LatencySummary
from hotpath_lab.storage.schema import SCHEMA_FILE, run_schema, run_schema_text

VALIDATOR = jsonschema.Draft202012Validator(run_schema())


def document(run: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((run / "run.json").read_text())
    return data


def test_the_committed_schema_is_the_one_the_model_generates() -> None:
    assert SCHEMA_FILE.read_text() == run_schema_text(), "run `hotpath results schema`"
    jsonschema.Draft202012Validator.check_schema(run_schema())


def test_a_real_run_validates_against_the_schema_and_round_trips(sample_run: Path) -> None:
    data = document(sample_run)
    VALIDATOR.validate(data)
    run = load_run(sample_run)
    assert encode(run) == data
    assert json.loads(run_json_bytes(run)) == data
    assert run.schema == RUN_SCHEMA
    python = run.build("python")
    assert python.throughput is not None and python.jitter is not None
    assert python.latency_ns.e2e.count == python.order_requests
    assert run.profiles is not None and set(run.profiles.builds) == set(run.builds)


def breaks(path: str, value: object) -> Any:
    """A mutation that sets (or, for ``...``, deletes) the value at a dotted path."""

    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node = data
        for key in parents:
            node = node[key]
        if value is ...:
            del node[last]
        else:
            node[last] = value

    return mutate


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("builds.python.latency_ns.e2e.p99", "fast", "expected an integer, got a string 'fast'"),
        ("builds.python.latency_ns.e2e.p99", 1.5, "expected an integer, got a number 1.5"),
        ("builds.python.latency_ns.e2e.p99", ..., "missing"),
        ("builds.python.timed_pass.wall_s", True, "expected a number, got a boolean True"),
        ("builds.rust-ffi.gc.by_generation.0.count", None, "expected an integer, got null"),
        ("builds.python.memory.surprise", 1, "unknown field (not in Memory)"),
        ("builds.python.jitter", None, "expected an object (Jitter), got null"),
        ("scenario.events", ..., "missing"),
        ("agree", "yes", "expected true or false"),
        ("ratios.python/rust-ffi.e2e_p99", "7x", "expected a number or null"),
    ],
)
def test_a_bad_field_is_refused_naming_the_file_and_the_field(
    sample_run: Path, tmp_path: Path, path: str, value: object, message: str
) -> None:
    data = document(sample_run)
    breaks(path, value)(data)
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / "run.json").write_text(json.dumps(data))
    with pytest.raises(ResultsError) as err:
        load_run(folder)
    text = str(err.value)
    assert text.startswith(f"{folder / 'run.json'}: "), text
    field = path.replace(".0.", "[0].").replace(".python/rust-ffi.", '["python/rust-ffi"].')
    assert f": {field}" in text and message in text, text
    assert not VALIDATOR.is_valid(data), "the published schema refuses it too"


def test_optional_sections_are_none_and_stay_absent(sample_run: Path) -> None:
    data = document(sample_run)
    del data["profiles"]
    for r in data["builds"].values():
        for section in ("throughput", "overhead_ns", "jitter", "cpu_samples"):
            r.pop(section, None)
        del r["files"]["cpu_csv"]
        del r["gc"]["tail_overlap_levels"]
    VALIDATOR.validate(data)
    run = parse_run(data, "test")
    assert run.profiles is None
    for r in run.builds.values():
        assert (r.throughput, r.overhead_ns, r.jitter, r.cpu_samples) == (None,) * 4
        assert r.files.cpu_csv is None
        assert r.gc.overlap_at("0.001") == r.gc.tail_overlap and r.gc.overlap_at("0.01") is None
    assert encode(run) == data, "None is written by leaving the key out, never as null"
    for r in ratios(run.builds).values():
        assert r.throughput_orders is None and r.cpu_per_order is None
        assert r.e2e_p99 is not None


def test_an_unknown_schema_version_is_refused_with_both_versions(
    sample_run: Path, tmp_path: Path
) -> None:
    data = document(sample_run)
    data["schema"] = "hotpath.run/9"
    folder = tmp_path / "future"
    folder.mkdir()
    (folder / "run.json").write_text(json.dumps(data))
    with pytest.raises(
        ResultsError, match=r"schema 'hotpath.run/9' is not one .*'hotpath.run/3', 'hotpath.run/2'"
    ):
        load_run(folder)
    (folder / "run.json").write_text("{not json")
    with pytest.raises(ResultsError, match="not valid JSON"):
        load_run(folder)
    with pytest.raises(ResultsError, match=r"no run\.json"):
        load_run(tmp_path)


def test_folders_that_cannot_be_read_are_skipped_and_named(
    sample_run: Path, tmp_path: Path
) -> None:
    root = tmp_path / "results"
    bad = root / "sample" / "20000101T000000Z-bad"
    bad.mkdir(parents=True)
    (bad / "run.json").write_text("[]")
    unreadable: list[ResultsError] = []
    assert list(iter_runs(root, unreadable=unreadable)) == []
    assert len(unreadable) == 1 and str(bad) in str(unreadable[0])


def test_overhead_and_late_dispatch_are_hdr_summaries(sample_run: Path) -> None:
    """Every percentile of a run comes from an HdrHistogram: the driver-overhead and
    late-dispatch figures have the latency summaries' shape, and the old ``np.percentile``
    shape (floats, no p99.99) is refused."""
    run = load_run(sample_run)
    for r in run.builds.values():
        assert isinstance(r.timed_pass.late_dispatch_ns, LatencySummary)
        if r.overhead_ns is not None:
            assert isinstance(r.overhead_ns.service, LatencySummary)
    data = document(sample_run)
    summary = data["builds"]["python"]["latency_ns"]["service"]
    overhead = {"events": 10, "rate_per_s": 1e5, "latency": summary, "service": summary}
    data["builds"]["python"]["overhead_ns"] = overhead
    assert parse_run(data, "test").build("python").overhead_ns is not None
    old = {k: float(v) for k, v in summary.items() if k != "p9999"}
    data["builds"]["python"]["overhead_ns"] = overhead | {"service": old}
    with pytest.raises(ResultsError, match=r"builds\.python\.overhead_ns\.service"):
        parse_run(data, "test")


def test_ratios_divide_by_the_figures_direction(sample_run: Path) -> None:
    run = load_run(sample_run)
    python, native = run.build("python"), run.build("rust-native")
    r = python_ratios(python, native)
    assert r.e2e_p99 == python.latency_ns.e2e.p99 / native.latency_ns.e2e.p99
    assert python.throughput is not None and native.throughput is not None
    assert r.throughput_orders == native.throughput.orders_per_s / python.throughput.orders_per_s
    assert r == run.ratios["python/rust-native"], "what bench wrote is what the rule gives"
    assert FIGURE["throughput_orders"].lower_is_better is False


def test_the_schema_command_writes_and_checks_the_file(tmp_path: Path) -> None:
    out = tmp_path / "run.schema.json"
    assert main(["results", "schema", "--out", str(out), "--check"]) == 1
    assert main(["results", "schema", "--out", str(out)]) == 0
    assert out.read_text() == run_schema_text()
    assert main(["results", "schema", "--out", str(out), "--check"]) == 0


def test_a_version_2_document_reads_as_an_in_process_run(sample_run: Path, tmp_path: Path) -> None:
    data = document(sample_run)
    data["schema"] = "hotpath.run/2"
    del data["mode"]
    folder = tmp_path / "v2"
    folder.mkdir()
    (folder / "run.json").write_text(json.dumps(data))
    run = load_run(folder)
    assert run.schema == RUN_SCHEMA and run.mode == "in-process"
    assert encode(run) == document(sample_run), "the same run, in the current schema"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (breaks("builds.python.gc", ...), "mode 'in-process': builds.python.gc: missing"),
        (breaks("mode", "wire"), "mode 'wire': the sections wire and floors are required"),
        (breaks("floors", {}), "the sections wire and floors belong to wire runs"),
    ],
)
def test_a_document_that_contradicts_its_mode_is_refused(
    sample_run: Path, tmp_path: Path, mutate: Any, message: str
) -> None:
    data = document(sample_run)
    mutate(data)
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / "run.json").write_text(json.dumps(data))
    with pytest.raises(ResultsError, match=message):
        load_run(folder)
