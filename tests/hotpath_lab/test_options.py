"""One option carrier: what the command line sets is what every child process receives and
what ``run.json`` keeps."""

from dataclasses import replace
from pathlib import Path

import pytest

from hotpath_lab.options import Job, OptionsError, ProfileSettings, RunOptions
from hotpath_lab.pacing import PaceError
from hotpath_lab.storage import ResultsError
from hotpath_lab.storage.codec import decode, encode

OPTIONS = RunOptions(
    builds=("python", "rust-ffi"),
    pace="rate:5000",
    warmup=10,
    seed=3,
    profile=ProfileSettings(seconds=0.5, rate_hz=99, extension="installed"),
)


def test_a_job_file_round_trips_every_option(tmp_path: Path) -> None:
    job = Job(
        kind="profile", build="rust-ffi", scenario_path="s.hpe", out="r.json", options=OPTIONS
    )
    job.save(tmp_path / "job.json")
    assert Job.load(tmp_path / "job.json") == job


def test_run_json_keeps_the_options_as_the_workers_got_them() -> None:
    assert decode(RunOptions, encode(OPTIONS), "run.json") == OPTIONS
    assert encode(replace(OPTIONS, profile=None))["profile"] is None


def test_a_job_file_with_a_stray_key_names_the_file_and_the_field(tmp_path: Path) -> None:
    path = tmp_path / "job.json"
    path.write_text(
        '{"kind": "measure", "build": "python", "scenario_path": "s", "out": "o", '
        '"options": {"builds": ["python"], "sped": 2}}'
    )
    with pytest.raises(ResultsError, match=r"job\.json: options.*sped"):
        Job.load(path)


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"builds": ()}, OptionsError, "--builds"),
        ({"warmup": -1}, OptionsError, "--warmup"),
        ({"jitter_seconds": 61.0}, OptionsError, "--jitter-seconds"),
        ({"pace": "sometimes"}, PaceError, "pace"),
        ({"speed": 0.0}, PaceError, "speed"),
        ({"overhead_rate": float("inf")}, OptionsError, "overhead"),
        ({"tail_share": 1.0}, OptionsError, "tail share"),
        ({"profile": ProfileSettings(rate_hz=0)}, OptionsError, "--profile-rate"),
    ],
)
def test_a_value_no_run_can_use_is_refused(
    change: dict[str, object], error: type[Exception], message: str
) -> None:
    OPTIONS.check()
    with pytest.raises(error, match=message):
        replace(OPTIONS, **change).check()  # type: ignore[arg-type]
