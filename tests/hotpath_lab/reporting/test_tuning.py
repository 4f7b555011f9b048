"""The "Tuning Python, one switch at a time" section: a row per tuned variant against
``python``, in ladder order, with its GC pauses and ratios; then the tuned build against the
Rust builds, the gap taken apart into the figures the run has."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

from hotpath_lab import units
from hotpath_lab.reporting.report import write_report
from hotpath_lab.reporting.tuning import switches_of, times_lower
from hotpath_lab.storage import load_run

VARIANTS = {  # name → (e2e p99 in ns, GC collections) written into a clone of python's result
    "python-tuned": (40_000, 5),
    "python-tuned+freeze": (90_000, 30),
    "python-tuned+none": (101_000, 31),
    "python-tuned+direct+gc-off": (60_000, 4),
}


def section(text: str, title: str = "## Tuning Python, one switch at a time") -> str:
    start = text.index(title)
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else len(text)]


def with_variants(src: Path, dst: Path, builds: list[str]) -> Path:
    """The sample run with tuned variants cloned from its ``python`` result (files and all),
    each given its own e2e p99 and collection count, keeping ``builds`` of the original."""
    shutil.copytree(src, dst)
    shutil.rmtree(dst / "plots")  # drawn again by the report
    data = json.loads((dst / "run.json").read_text())
    python = data["builds"]["python"]
    kept = {b: data["builds"][b] for b in builds}
    for name, (p99, collections) in VARIANTS.items():
        variant = copy.deepcopy(python)
        variant["build"] = variant["spec"] = name
        variant["latency_ns"]["e2e"]["p99"] = p99
        variant["gc"]["count"] = collections
        kept[name] = variant
    order = ["python", *VARIANTS, *(b for b in builds if b != "python")]
    data["builds"] = {b: kept[b] for b in order}
    data["options"]["builds"] = order
    data["digests"] = {b: data["digests"]["python"] for b in order}
    data["ratios"] = {
        pair: r for pair, r in data["ratios"].items() if set(pair.split("/")) <= set(order)
    }
    (dst / "run.json").write_text(json.dumps(data))
    return dst


def rows_of(text: str) -> list[list[str]]:
    return [
        [c.strip() for c in line.strip("|").split("|")]
        for line in text.splitlines()
        if line.startswith("| `")
    ]


def test_each_variant_has_its_row_in_ladder_order_with_its_ratio_to_python(
    sample_run: Path, tmp_path: Path
) -> None:
    folder = with_variants(sample_run, tmp_path / "run", ["python", "rust-ffi", "rust-native"])
    text = section(write_report(folder).read_text())
    table = text[: text.index("### Where")]
    rows = rows_of(table)
    # python, then [none], single switches, pairs, and the whole set last
    assert [r[0] for r in rows] == [
        "`python`", "`python-tuned+none`", "`python-tuned+freeze`",
        "`python-tuned+direct+gc-off`", "`python-tuned`",
    ]  # fmt: skip
    assert [r[1] for r in rows] == ["—", "none", "freeze", "direct+gc-off", "default"]
    python_p99 = load_run(folder).build("python").latency_ns.e2e.p99
    for row in rows[1:]:
        p99, collections = VARIANTS[row[0].strip("`")]
        assert row[3] == units.latency(p99)
        assert row[6] == units.count(collections)
        assert row[-3] == f"{times_lower(python_p99, p99):.2f}×"  # e2e p99 × python
    assert rows[0][-3] == "—"


def test_the_tuned_build_is_set_against_rust_with_the_gap_taken_apart(
    sample_run: Path, tmp_path: Path
) -> None:
    folder = with_variants(sample_run, tmp_path / "run", ["python", "rust-ffi", "rust-native"])
    text = section(write_report(folder).read_text())
    rust = section(text, "### Where `python-tuned` still loses to Rust")
    header = rows_of(rust.replace("| figure", "| `figure"))[0]
    assert header[1:4] == ["`python-tuned`", "`rust-ffi`", "`rust-native`"]
    p99_row = next(r for r in rows_of(rust.replace("| e2e p99 |", "| `e2e p99` |")))
    assert p99_row[1] == units.latency(40_000)
    for cause in ("**GC**", "**Interpreter**", "**The Python loop itself**"):
        assert cause in rust


def test_without_rust_the_section_says_what_to_add(sample_run: Path, tmp_path: Path) -> None:
    folder = with_variants(sample_run, tmp_path / "run", ["python"])
    text = section(write_report(folder).read_text())
    assert "No Rust build in this run" in text
    assert "### Where" not in text


def test_a_run_without_tuned_variants_has_no_tuning_section(sample_run: Path) -> None:
    assert "## Tuning Python" not in (sample_run / "report.md").read_text()


def test_switches_are_read_from_the_name() -> None:
    assert switches_of("python-tuned") == ("default",)
    assert switches_of("python-tuned+none") == ()
    assert switches_of("python-tuned+uvloop+freeze") == ("uvloop", "freeze")
    assert switches_of("python") is None
    assert switches_of("python-tuned-x") is None
