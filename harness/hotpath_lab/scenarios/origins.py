"""Where each generator-config value came from in the manifest, to name it in errors.

The generator's config rules (``harness/rust/hotpath-scenario/src/config/rules.rs``) are
the one authority on whether a manifest is usable; they name the offending field by its
path in the config JSON (``market.phases[2].ramp_ns``). While a manifest is translated,
``Origins`` records which manifest key (``phases[2].ramp_s``) each config path was read
from, so ``refusal`` can point the user at the key to fix. The mapping is data written as
the translation goes, not a second copy of the rules.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Protocol

from hotpath_lab.scenarios.units import ManifestError, Table

# The last step of a config path: `.name` or `[index]`.
_LAST_STEP = re.compile(r"(\.[^.\[\]]+|\[\d+\])$")


class Origins:
    """Generator-config path → the manifest key it was translated from."""

    __slots__ = ("_keys",)

    def __init__(self) -> None:
        self._keys: dict[str, str] = {}

    def note(self, config_path: str, manifest_key: str) -> None:
        """``config_path`` holds what the manifest wrote at ``manifest_key``."""
        self._keys[config_path] = manifest_key

    def table(self, config_path: str, table: Table, **fields: str) -> None:
        """The object at ``config_path`` comes from ``table``; each of its ``field=key``
        from that table's ``key``."""
        self._keys[config_path] = table.path
        for field, key in fields.items():
            self._keys[f"{config_path}.{field}"] = table.key(key)

    def key_for(self, config_path: str) -> str:
        """The manifest key of ``config_path``, else of its nearest recorded parent ("" for
        none: the error is about the manifest as a whole)."""
        path = config_path
        while True:
            key = self._keys.get(path)
            if key is not None:
                return key
            parent = _LAST_STEP.sub("", path)
            if parent == path:  # a first step with no record
                return ""
            path = parent


class ConfigRefusal(Protocol):
    """What the generator's ``ScenarioConfigError`` carries (``hotpath_toolkit``)."""

    field: str | None
    detail: str


def refusal(file: Path, exc: ConfigRefusal, origins: Origins) -> ManifestError:
    """The generator refused a config translated from ``file``: a ``ManifestError`` naming
    the manifest key of the field it refused, in the generator's words."""
    if exc.field is None:
        return ManifestError(file, "", f"the generator refused it: {exc}")
    return ManifestError(file, origins.key_for(exc.field), exc.detail, config_path=exc.field)
