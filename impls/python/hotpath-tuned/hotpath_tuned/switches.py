"""The tunings of the ``python-tuned`` build, each a switch, and how a build spec names them.

``python-tuned`` alone is every switch of ``DEFAULT`` on; ``python-tuned+freeze`` one switch,
``python-tuned+freeze+uvloop`` two (``+``, not ``,``: a ``--builds`` list is split on commas),
``python-tuned+none`` none (the tuned build's own plumbing, every tuning off: the control).
A build's name always lists its switches in ``SWITCHES`` order, so one tuning has one name.
"""

from __future__ import annotations

from dataclasses import dataclass

from hotpath_tuned.gc_policy import COLLECT_EVERY, THRESHOLDS

SWITCHES: dict[str, str] = {
    "uvloop": "the driver's event loop is uvloop's (libuv) instead of asyncio's",
    "direct": "the engine is called directly, not through a coroutine per event",
    "packed-reports": "reports are packed into one preallocated buffer, not a tuple each",
    "freeze": "gc.freeze() after the warm-up: what exists then leaves the collector's view",
    "thresholds": f"gc.set_threshold{THRESHOLDS} after the warm-up: young collections far rarer",
    "gc-off": f"gc.disable() after the warm-up; young generations collected every "
    f"{COLLECT_EVERY:,} events",
}
"""Every switch, in name order, with what it does (``docs/tuned.md`` says why)."""

DEFAULT = ("uvloop", "direct", "packed-reports", "freeze", "gc-off")
"""``python-tuned`` with no options: every switch but ``thresholds`` (``gc-off`` supersedes it)."""

NONE = "none"


class UnknownSwitch(ValueError):
    """A build option that names no switch."""


@dataclass(frozen=True)
class Tuning:
    """Which switches are on."""

    on: frozenset[str]

    @classmethod
    def parse(cls, options: str | None) -> Tuning:
        """``None`` → ``DEFAULT``; ``"none"`` → nothing; else switches joined by ``+``.

        Raises ``UnknownSwitch`` naming the option and the known switches.
        """
        if options is None:
            return cls(frozenset(DEFAULT))
        names = [part.strip() for part in options.split("+")]
        if names == [NONE]:
            return cls(frozenset())
        unknown = [n for n in names if n not in SWITCHES]
        if unknown or not names:
            raise UnknownSwitch(
                f"unknown tuning switch {unknown[0] if unknown else options!r} "
                f"(switches: {', '.join(SWITCHES)}; or {NONE!r})"
            )
        return cls(frozenset(names))

    def __contains__(self, switch: str) -> bool:
        if switch not in SWITCHES:
            raise UnknownSwitch(f"unknown tuning switch {switch!r}")
        return switch in self.on

    @property
    def options(self) -> str:
        """The switches in ``SWITCHES`` order joined by ``+`` (``none`` when empty)."""
        return "+".join(s for s in SWITCHES if s in self.on) or NONE

    def build_name(self, base: str) -> str:
        """``base`` for the default tuning, else ``base+options``."""
        return base if self.on == frozenset(DEFAULT) else f"{base}+{self.options}"
