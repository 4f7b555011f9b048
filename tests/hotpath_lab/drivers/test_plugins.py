"""Plug-in builds as ``docs/measurement.md`` describes them, taken from the page itself.

The page's example module is written to a temporary directory exactly as printed and loaded
in each documented form (class, instance, factory); the exit codes of every command for a
build that cannot be loaded (2) or crashes (4); the driver chosen by capability, never by
name; and ``name`` as a build's one identity in a run folder.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from hotpath_lab.cli import main
from hotpath_lab.drivers.builds import BUILTIN, PythonBuild
from hotpath_lab.drivers.plugin import BuildSpecError, SelfDrivenBuild, load_build
from hotpath_lab.storage import iter_runs, load_run

REPO = Path(__file__).resolve().parents[3]
GOLDEN = REPO / "tests" / "golden" / "events-v1.hpe"

FORMS = textwrap.dedent(
    '''
    """Every documented way to name a build, and builds that go wrong."""
    import numpy as np

    import hotpath_lab.drivers.python_loop as loop
    from my_build import SyncPipeline, SyncPython

    INSTANCE = SyncPython()


    def factory():
        return SyncPython()


    NOT_A_BUILD = 42


    class CrashesOnCreate(SyncPython):
        name = "crashes-on-create"

        def create(self, meta, n_events, *, stage_timing, expected_orders=0):
            raise RuntimeError("no engine for you")


    class _Boom(SyncPipeline):
        def __init__(self, meta):
            super().__init__(meta)
            self.handle = self._boom

        def _boom(self, index, *fields):
            if index == 3:
                raise ZeroDivisionError("event 3 broke it")
            self.engine.handle(index, *fields)


    class CrashesOnEvent(SyncPython):
        name = "crashes-on-event"

        def create(self, meta, n_events, *, stage_timing, expected_orders=0):
            return _Boom(meta)


    class CalledRustNative(SyncPython):
        """Named like the built-in self-driven build, but an ordinary event-fed one."""

        name = "rust-native"


    class SelfDrivenPython:
        """A self-driven build written in Python: it runs the driver loop itself."""

        name = "self-driven-python"
        description = "the Python engine, driving its own loop"

        def drive(self, meta, records, pace, *, stage_timing, limit=None, empty=False,
                  progress=None):
            pipeline = SyncPipeline(meta)
            times = loop.run_pass(pipeline, records, pace, limit=limit, progress=progress)
            return times, pipeline.report_array()

        def replay(self, meta, records):
            pipeline = SyncPipeline(meta)
            loop.feed(pipeline, records)
            return pipeline.report_array()

        def retain(self, meta, records):
            pipeline = SyncPipeline(meta)
            loop.feed(pipeline, records)
            return pipeline, len(pipeline.report_array())
    '''
)


def documented_example() -> str:
    """The ``my_build.py`` code block of docs/measurement.md, verbatim."""
    page = (REPO / "docs" / "measurement.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", page, flags=re.S)
    examples = [b for b in blocks if b.startswith("# my_build.py\n")]
    assert len(examples) == 1, "docs/measurement.md must hold one my_build.py example"
    return examples[0]


@pytest.fixture
def plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``my_build`` (the page's example) and ``my_forms`` importable here and in workers."""
    (tmp_path / "my_build.py").write_text(documented_example())
    (tmp_path / "my_forms.py").write_text(FORMS)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    return tmp_path


def digest_of(spec: str, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert main(["run", "--scenario", str(GOLDEN), "--build", spec, "--digest"]) == 0
    return capsys.readouterr().out.strip()


@pytest.mark.usefixtures("plugins")
@pytest.mark.parametrize("spec", ["my_build:SyncPython", "my_forms:INSTANCE", "my_forms:factory"])
def test_every_documented_form_loads_and_agrees_with_python(
    spec: str, capsys: pytest.CaptureFixture[str]
) -> None:
    build = load_build(spec, BUILTIN)
    assert build.name == "python-sync"
    assert not isinstance(build, type), "a class is instantiated, not used as the build"
    assert digest_of(spec, capsys) == digest_of("python", capsys)


@pytest.mark.usefixtures("plugins")
def test_the_documented_example_benches_and_shadows(tmp_path: Path) -> None:
    assert (
        main(["shadow", "--scenario", str(GOLDEN), "--builds", "python,my_build:SyncPython"]) == 0
    )
    results = tmp_path / "results"
    code = main([
        "bench", "--scenario", str(GOLDEN), "--builds", "python,my_build:SyncPython",
        "--warmup", "2", "--jitter-seconds", "0", "--no-throughput", "--no-overhead",
        "--results-dir", str(results),
    ])  # fmt: skip
    assert code == 0
    (info,) = list(iter_runs(results))
    run = load_run(info.path)
    assert list(run.builds) == ["python", "python-sync"], "keyed by the build's name"
    sync = run.builds["python-sync"]
    assert sync.spec == "my_build:SyncPython"
    assert sync.driver == "python-asyncio-loop"
    assert sync.files.hlog == "python-sync.hlog"
    assert (info.path / "python-sync.hlog").is_file()
    assert set(run.digests) == {"python", "python-sync"}
    assert run.agree is True


@pytest.mark.usefixtures("plugins")
@pytest.mark.parametrize(
    "spec", ["no_such_module:Build", "my_forms:missing", "my_forms:NOT_A_BUILD", "cobol"]
)
@pytest.mark.parametrize("command", ["run", "shadow", "bench"])
def test_a_build_that_cannot_be_loaded_exits_2_with_one_line(
    command: str, spec: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    code = main(command_line(command, spec, tmp_path))
    err = capsys.readouterr().err
    assert code == 2
    assert_one_error_line(err, spec.split(":")[0])
    assert not (tmp_path / "results").exists()


@pytest.mark.usefixtures("plugins")
@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ("my_forms:CrashesOnCreate", "no engine for you"),
        ("my_forms:CrashesOnEvent", "event 3 broke it"),
    ],
)
@pytest.mark.parametrize("command", ["run", "shadow", "bench"])
def test_a_build_that_crashes_exits_4_with_one_line(
    command: str, spec: str, says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    code = main(command_line(command, spec, tmp_path))
    err = capsys.readouterr().err
    assert code == 4, err
    assert_one_error_line(err, says)
    assert not any((tmp_path / "results").rglob("run.json"))


@pytest.mark.usefixtures("plugins")
def test_debug_shows_the_crash_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    code = main(["--debug", "run", "--scenario", str(GOLDEN), "--build", "my_forms:CrashesOnEvent"])
    assert code == 4
    err = capsys.readouterr().err
    assert "Traceback" in err and "_boom" in err


@pytest.mark.usefixtures("plugins")
def test_two_builds_with_one_name_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    specs = "python,my_build:SyncPython,my_forms:INSTANCE"
    assert main(["shadow", "--scenario", str(GOLDEN), "--builds", specs]) == 2
    assert "python-sync" in capsys.readouterr().err


@pytest.mark.usefixtures("plugins")
def test_the_driver_is_chosen_by_capability_not_by_name(tmp_path: Path) -> None:
    impostor = load_build("my_forms:CalledRustNative", BUILTIN)
    assert impostor.name == "rust-native" and not isinstance(impostor, SelfDrivenBuild)
    assert isinstance(load_build("my_forms:SelfDrivenPython", BUILTIN), SelfDrivenBuild)
    results = tmp_path / "results"
    code = main([
        "bench", "--scenario", str(GOLDEN), "--results-dir", str(results),
        "--builds", "python,my_forms:CalledRustNative,my_forms:SelfDrivenPython",
        "--warmup", "2", "--jitter-seconds", "0", "--no-throughput",
    ])  # fmt: skip
    assert code == 0
    (info,) = list(iter_runs(results))
    builds = json.loads((info.path / "run.json").read_text())["builds"]
    assert builds["rust-native"]["driver"] == "python-asyncio-loop"
    assert builds["self-driven-python"]["driver"] == "self-driven"
    assert builds["self-driven-python"]["digest"] == builds["python"]["digest"]
    assert builds["self-driven-python"]["memory"]["engine_reports"] > 0


def test_a_class_passing_the_protocol_check_is_still_instantiated() -> None:
    """The defect the docs' class form hit: ``isinstance(cls, Build)`` is true for a class
    with the right attributes, and used uninstantiated its create() lacked ``self``."""
    build = load_build("hotpath_lab.drivers.builds:PythonBuild", BUILTIN)
    assert isinstance(build, PythonBuild)
    with pytest.raises(BuildSpecError, match="not a build"):
        load_build("hotpath_lab.drivers.builds:DEFAULT_BUILDS", BUILTIN)


def assert_one_error_line(err: str, says: str) -> None:
    """One ``error:`` line naming the problem; no traceback (progress lines may surround it)."""
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and says in errors[0], err
    assert "Traceback" not in err, err


def command_line(command: str, spec: str, tmp_path: Path) -> list[str]:
    scenario = ["--scenario", str(GOLDEN)]
    if command == "run":
        return ["run", *scenario, "--build", spec]
    if command == "shadow":
        return ["shadow", *scenario, "--builds", f"python,{spec}"]
    return [
        "bench", *scenario, "--builds", spec, "--warmup", "2", "--jitter-seconds", "0",
        "--no-throughput", "--no-overhead", "--results-dir", str(tmp_path / "results"),
    ]  # fmt: skip
