"""How a build spec names the tuned build's switches: one name per tuning."""

from __future__ import annotations

import pytest

from hotpath_lab.drivers.builds import BUILTIN
from hotpath_lab.drivers.plugin import BuildSpecError, load_build, load_builds
from hotpath_tuned import DEFAULT, SWITCHES, Tuning, UnknownSwitch


def test_no_options_is_the_default_set_and_none_is_nothing() -> None:
    assert Tuning.parse(None).on == frozenset(DEFAULT)
    assert "thresholds" not in Tuning.parse(None)
    assert Tuning.parse("none").on == frozenset()
    assert Tuning.parse("none").options == "none"


def test_the_name_lists_the_switches_in_one_order_whatever_the_spec() -> None:
    assert Tuning.parse("uvloop+freeze").build_name("python-tuned") == (
        "python-tuned+uvloop+freeze"
    )
    assert Tuning.parse("freeze+uvloop").options == "uvloop+freeze"
    assert Tuning.parse("+".join(reversed(DEFAULT))).build_name("python-tuned") == "python-tuned"
    assert Tuning.parse("+".join(SWITCHES)).options == "+".join(SWITCHES)


@pytest.mark.parametrize("options", ["fast", "freeze+", "freeze+none", ""])
def test_an_unknown_switch_is_refused_by_name(options: str) -> None:
    with pytest.raises(UnknownSwitch, match="unknown tuning switch"):
        Tuning.parse(options)


def test_asking_for_an_unknown_switch_is_an_error_not_false() -> None:
    with pytest.raises(UnknownSwitch):
        _ = "frezee" in Tuning.parse(None)


def test_the_lab_loads_each_variant_under_its_canonical_name() -> None:
    builds = load_builds(
        ["python", "python-tuned+freeze", "python-tuned+gc-off+freeze", "python-tuned"],
        BUILTIN,
    )
    assert list(builds) == [
        "python", "python-tuned+freeze", "python-tuned+freeze+gc-off", "python-tuned",
    ]  # fmt: skip
    assert "gc.freeze()" in builds["python-tuned+freeze"].description


def test_two_specs_of_one_tuning_are_one_build_listed_twice() -> None:
    with pytest.raises(BuildSpecError, match="listed twice"):
        load_builds(["python-tuned+uvloop+direct", "python-tuned+direct+uvloop"], BUILTIN)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("python-tuned+fast", r"python-tuned\+fast.*unknown tuning switch 'fast'"),
        ("python+freeze", r"python\+freeze"),  # a build that takes no options
        ("python-tuned[freeze]", "unknown build"),
    ],
)
def test_bad_options_are_a_spec_error_naming_the_spec(spec: str, message: str) -> None:
    with pytest.raises(BuildSpecError, match=message):
        load_build(spec, BUILTIN)
