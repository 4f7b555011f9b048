"""Running ``hotpath-loadgen`` against one target and reading what it wrote.

Its command line and output files are docs/wire.md's: ``NAME.wire.json`` (read into a
``LoadgenReport``), ``NAME.hlog`` (tags ``e2e``, ``service``, ``tick_to_book``),
``NAME.hgrm`` (e2e) and ``NAME.<metric>.hgrm``, and ``NAME.hpr`` (the reports received;
gateway targets only). A non-zero exit raises ``LoadgenFailed`` with the reason its code
stands for and the last line of its stderr.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hotpath_lab.drivers.plugin import BuildFailed
from hotpath_lab.lifetime import dies_with_parent, how_it_ended
from hotpath_lab.storage.errors import ResultsError
from hotpath_lab.storage.wire_model import WireTargetKind
from hotpath_lab.wire.affinity import children_on
from hotpath_lab.wire.binaries import LOADGEN, binary
from hotpath_lab.wire.loadgen_report import LoadgenReport, read_loadgen_report

EXIT_MEANINGS = {
    1: "its results could not be written",
    2: "bad usage (a harness bug: the command line is below)",
    3: "bad scenario file",
    4: "the target misbehaved (no answer in time, an ERROR frame, or digests that disagree)",
}
Ticker = Callable[[float, float], None]
"""``ticker(elapsed_s, expected_s)``, called while the generator runs."""


class LoadgenFailed(BuildFailed):
    """The generator exited non-zero or wrote an unreadable summary (CLI exit code 4);
    ``detail`` holds its stderr."""

    def __init__(self, message: str, detail: str = "", code: int | None = None) -> None:
        super().__init__(message)
        self.detail = detail
        self.code = code


@dataclass(frozen=True)
class LoadgenRequest:
    """One invocation: the scenario, the target, the pacing, where the files go."""

    scenario: Path
    connect: str
    out: Path
    label: str
    target: WireTargetKind
    pace: str = "recorded"
    speed: float = 1.0
    warmup: int = 0
    limit: int | None = None
    max_batch: int | None = None
    window: int | None = None
    cpu: int | None = None
    """The core it runs on (set by the harness when it starts it)."""
    timeout_s: float | None = None
    interval_ns: int | None = None

    def argv(self) -> list[str]:
        args = [
            str(binary(LOADGEN)),
            "--scenario", str(self.scenario),
            "--connect", self.connect,
            "--out", str(self.out),
            "--label", self.label,
            "--target", self.target,
            "--pace", self.pace,
            "--speed", repr(self.speed),
            "--warmup", str(self.warmup),
        ]  # fmt: skip
        for option, value in (
            ("--limit", self.limit),
            ("--max-batch", self.max_batch),
            ("--window", self.window),
            ("--timeout-s", self.timeout_s),
            ("--interval-ns", self.interval_ns),
        ):
            if value is not None:
                args += [option, f"{value:g}" if isinstance(value, float) else str(value)]
        return args


@dataclass(frozen=True)
class LoadgenOutput:
    """What one invocation left in ``folder``: its summary and the names of its files."""

    folder: Path
    label: str
    report: LoadgenReport
    hlog: str
    hgrm: dict[str, str]
    """metric → file name"""
    hpr: str | None
    stderr: str

    def path(self, name: str) -> Path:
        return self.folder / name


def run_loadgen(
    request: LoadgenRequest, *, expected_s: float, ticker: Ticker | None = None
) -> LoadgenOutput:
    """Runs the generator to completion and reads its files; raises ``LoadgenFailed``."""
    argv = request.argv()
    request.out.mkdir(parents=True, exist_ok=True)
    err_path = request.out / f"{request.label}.loadgen.log"
    started = time.monotonic()
    with open(err_path, "w") as err:
        with children_on(request.cpu):
            proc = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=err, stderr=err,
                preexec_fn=dies_with_parent(),  # the kernel ends it with us
            )  # fmt: skip
        code = _wait(proc, expected_s, ticker, started)
    stderr = err_path.read_text()
    if code != 0:
        last = next((ln for ln in reversed(stderr.splitlines()) if ln.strip()), "no error output")
        meaning = EXIT_MEANINGS.get(code, "crashed")
        ended = f"exit {code}: {meaning}" if code >= 0 else how_it_ended(code)
        raise LoadgenFailed(
            f"hotpath-loadgen against {request.label} failed ({ended}): {last}",
            stderr + "\ncommand: " + " ".join(argv),
            code,
        )
    if not stderr.strip():
        err_path.unlink()  # kept only when it says something
    return read_output(request.out, request.label, stderr)


def _wait(
    proc: subprocess.Popen[bytes], expected_s: float, ticker: Ticker | None, started: float
) -> int:
    """Waits for the generator, ticking; kills it if the harness is interrupted. No time
    limit of its own: a target that falls behind is measured, not cut short, and one that
    goes silent is the generator's to detect (``--timeout-s``)."""
    try:
        while True:
            try:
                return proc.wait(timeout=0.25)
            except subprocess.TimeoutExpired:
                if ticker is not None:
                    ticker(time.monotonic() - started, expected_s)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def read_output(folder: Path, label: str, stderr: str = "") -> LoadgenOutput:
    """The files the generator wrote for ``label`` in ``folder``."""
    try:
        report = read_loadgen_report(folder / f"{label}.wire.json")
    except ResultsError as exc:
        raise LoadgenFailed(f"hotpath-loadgen's summary is unusable: {exc}", stderr) from exc
    hlog = f"{label}.hlog"
    if not (folder / hlog).is_file():
        raise LoadgenFailed(f"hotpath-loadgen wrote no {folder / hlog}", stderr)
    hgrm = {"e2e": f"{label}.hgrm"} if (folder / f"{label}.hgrm").is_file() else {}
    for path in sorted(folder.glob(f"{label}.*.hgrm")):
        metric = path.name.removeprefix(f"{label}.").removesuffix(".hgrm")
        hgrm[metric] = path.name
    hpr = f"{label}.hpr" if (folder / f"{label}.hpr").is_file() else None
    return LoadgenOutput(folder, label, report, hlog, hgrm, hpr, stderr)
