"""The regression gate's canaries (``HOTPATH_CANARY``, docs/gate.md) slow the builds down and
change nothing they report; a value no build knows is refused by every build, by name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import hotpath_asyncio.canary as canary
from hotpath_format import read_events
from hotpath_lab.cli import main
from hotpath_lab.scenarios import build_scenario

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "events-v1.hpe"
BUILDS = "python,rust-ffi,rust-native"


@pytest.mark.parametrize("name", ["uniform", "tail"])
def test_every_build_reports_the_same_with_a_canary_on(
    name: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    smoke = build_scenario("smoke")
    capsys.readouterr()
    assert main(["shadow", "--scenario", str(smoke), "--builds", BUILDS]) == 0
    plain = digests(capsys.readouterr().out)
    assert len(plain) == 1, "one digest shared by every build"
    monkeypatch.setenv("HOTPATH_CANARY", name)
    assert main(["shadow", "--scenario", str(smoke), "--builds", BUILDS]) == 0
    assert digests(capsys.readouterr().out) == plain


def digests(shadow_output: str) -> set[str]:
    return set(re.findall(r"\b[0-9a-f]{12,64}\b", shadow_output))


@pytest.mark.parametrize("build", ["python", "rust-ffi", "rust-native"])
def test_an_unknown_canary_is_refused_naming_the_variable(
    build: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HOTPATH_CANARY", "sometimes")
    assert main(["run", "--scenario", str(GOLDEN), "--build", build]) == 4
    err = capsys.readouterr().err
    assert "HOTPATH_CANARY='sometimes'" in err or 'HOTPATH_CANARY="sometimes"' in err, err


def test_the_python_canaries_do_their_work_where_they_say(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Uniform: one burn per risk check; tail: one stall per TAIL_EVERY executed requests."""
    import hotpath_asyncio

    scenario = read_events(build_scenario("smoke"))
    burns: list[int] = []
    monkeypatch.setattr(canary, "burn", burns.append)
    monkeypatch.setenv("HOTPATH_CANARY", "uniform")
    engine = hotpath_asyncio.replay(scenario.meta, scenario.records)
    risk_checks = len(burns)
    assert risk_checks > 0 and set(burns) == {canary.UNIFORM_ROUNDS}
    # every request that reached risk was accepted or rejected by risk: no more burns than
    # order requests, and at least one per accepted NEW_ORDER
    assert risk_checks <= sum(1 for r in engine.reports) + 1
    burns.clear()
    monkeypatch.setenv("HOTPATH_CANARY", "tail")
    hotpath_asyncio.replay(scenario.meta, scenario.records)
    assert burns and set(burns) == {canary.TAIL_ROUNDS}
    burns.clear()
    monkeypatch.setenv("HOTPATH_CANARY", "off")
    hotpath_asyncio.replay(scenario.meta, scenario.records)
    assert burns == []


def test_a_run_made_with_a_canary_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from hotpath_lab.storage import iter_runs, load_run

    monkeypatch.setenv("HOTPATH_CANARY", "tail")
    code = main([
        "bench", "--scenario", str(GOLDEN), "--builds", "rust-ffi", "--warmup", "2",
        "--jitter-seconds", "0", "--no-overhead", "--results-dir", str(tmp_path),
    ])  # fmt: skip
    assert code == 0
    assert "canary tail on" in capsys.readouterr().out
    (info,) = iter_runs(tmp_path)
    assert load_run(info.path).environment.canary == "tail"
    assert "`tail` on" in (info.path / "report.md").read_text()
