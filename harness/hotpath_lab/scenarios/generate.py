"""Building scenario files: the Rust generator, an atomic write, and a cache outside git.

``build_scenario("volatility")`` returns the path of the scenario file for that manifest,
seed and scale, generating it only when the cache does not already hold a valid one. The
cache lives in ``$HOTPATH_CACHE/scenarios`` (default ``$XDG_CACHE_HOME/hotpath`` or
``~/.cache/hotpath``) and is keyed by manifest name and digest, seed, scale and generator
version, so editing a manifest or upgrading the generator never serves a stale file.
"""

from __future__ import annotations

import json
import math
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from hotpath_format import EVENT_DTYPE, FormatError, MetadataError, read_events, write_events
from hotpath_lab.environment import cache_root
from hotpath_lab.scenarios.manifest import Manifest, load_manifest, resolve_manifest
from hotpath_lab.scenarios.origins import Origins, refusal
from hotpath_lab.scenarios.strategy import strategy_config
from hotpath_lab.scenarios.units import ManifestError, Table

__all__ = [
    "MAX_SCALE",
    "build_scenario",
    "cache_dir",
    "cached_path",
    "check_scale",
    "check_seed",
    "generate_records",
    "generator_version",
    "overlay",
]

MAX_SCALE = 100.0
"""Largest accepted ``scale`` (the generator refuses more)."""

Progress = Callable[[int, int], None]
"""``progress(done, total)``: steps done out of ``total`` (generate, then write)."""


def generator_version() -> str:
    """``"hotpath-scenario <version>+model.<revision>"`` of the installed extension."""
    import hotpath_toolkit

    return str(hotpath_toolkit.GENERATOR)


def cache_dir() -> Path:
    """Where generated scenario files are kept (created on first use)."""
    return cache_root() / "scenarios"


def check_scale(scale: float) -> float:
    """``scale`` as a float if a scenario can be generated at it; else ``ValueError``."""
    s = float(scale)
    if not (math.isfinite(s) and 0 < s <= MAX_SCALE):
        raise ValueError(f"scale must be a number in (0, {MAX_SCALE:g}], got {scale!r}")
    return s


def check_seed(seed: object) -> int:
    """``seed`` if the generator takes it (a u64); else ``ValueError``."""
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**64:
        raise ValueError(f"seed must be an integer in [0, 2**64), got {seed!r}")
    return seed


def _seed(manifest: Manifest, seed: int | None) -> int:
    return check_seed(manifest.seed if seed is None else seed)


def cached_path(name_or_path: str | Path, *, seed: int | None = None, scale: float = 1.0) -> Path:
    """The cache file for a manifest, seed (default: the manifest's) and scale."""
    manifest = load_manifest(name_or_path)
    return _cache_file(manifest, _seed(manifest, seed), check_scale(scale))


def _cache_file(manifest: Manifest, seed: int, scale: float) -> Path:
    version = re.sub(r"[^A-Za-z0-9.]+", "-", generator_version().split()[-1])
    scale_tag = repr(scale).replace(".", "p")
    name = f"{manifest.name}-seed{seed}-x{scale_tag}-{manifest.sha256[:12]}-g{version}.hpe"
    return cache_dir() / name


def generate_records(
    manifest: Manifest, *, seed: int, scale: float
) -> tuple[np.ndarray, dict[str, Any]]:
    """Runs the generator: the records (``EVENT_DTYPE``) and the run's counters."""
    import hotpath_toolkit

    try:
        words, stats = hotpath_toolkit.generate_scenario(manifest.config_json(), seed, scale)
    except hotpath_toolkit.ScenarioConfigError as exc:
        raise refusal(manifest.path, exc, manifest.origins) from None
    return words.view(EVENT_DTYPE), json.loads(stats)


def _matches(path: Path, manifest: Manifest, seed: int, scale: float, generator: str) -> bool:
    """A cached file is reused only if it reads cleanly and says it is this scenario."""
    try:
        source = read_events(path).meta.raw.get("source", {})
    except (OSError, FormatError, MetadataError):
        return False
    return bool(
        source.get("manifest_sha256") == manifest.sha256
        and source.get("seed") == seed
        and source.get("scale") == scale
        and source.get("generator") == generator
    )


def build_scenario(
    name_or_path: str | Path,
    *,
    seed: int | None = None,
    scale: float = 1.0,
    out: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
) -> Path:
    """The scenario file for a manifest (``NAME`` or a path), generated if needed.

    ``seed`` defaults to the manifest's; ``scale`` stretches the timeline (event counts
    grow with it, rates do not). Without ``out`` the file goes to the cache; either way an
    existing valid file for the same manifest digest, seed, scale and generator is reused.
    ``progress(done, total)`` is told about the two steps (generate, write). Raises
    ``ManifestError`` (a ``ValueError``) or ``ValueError`` for a bad seed or scale.
    """
    step = progress or (lambda _done, _total: None)
    manifest = load_manifest(name_or_path)
    seed = _seed(manifest, seed)
    scale = check_scale(scale)
    generator = generator_version()
    path = Path(out) if out is not None else _cache_file(manifest, seed, scale)
    if path.exists() and _matches(path, manifest, seed, scale, generator):
        step(2, 2)
        return path
    step(0, 2)
    records, stats = generate_records(manifest, seed=seed, scale=scale)
    step(1, 2)
    meta = manifest.metadata(seed=seed, scale=scale, generator=generator, stats=stats)
    write_events(path, meta, records)
    step(2, 2)
    return path


def overlay(
    market: np.ndarray,
    meta: Mapping[str, Any],
    strategy: Mapping[str, Any] | str | Path,
    *,
    seed: int,
) -> tuple[np.ndarray, dict[str, Any]]:
    """Lays a manifest's strategy over external market data (e.g. an imported capture).

    ``market`` holds BOOK_DELTA/TRADE records in time order; ``meta`` is their schema-1
    metadata (its accounts, instruments and venues are what the strategy names refer to);
    ``strategy`` is a ``[strategy]`` table or a manifest (``NAME`` or path) to take it
    from. Returns the merged records and the run's counters.
    """
    import hotpath_toolkit

    if isinstance(strategy, str | Path):
        path = resolve_manifest(strategy)
        try:
            table = tomllib.loads(path.read_text()).get("strategy")
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ManifestError(path, "", f"cannot read it: {exc}") from None
        if not isinstance(table, dict):
            raise ManifestError(path, "strategy", "is missing")
        tab = Table(table, path, "strategy")
    else:
        tab = Table(dict(strategy), Path("<strategy>"), "strategy")
    origins = Origins()
    config = {"meta": dict(meta), "strategy": strategy_config(tab, dict(meta), origins)}
    if market.dtype != EVENT_DTYPE:
        raise TypeError(f"market must be EVENT_DTYPE records, got dtype {market.dtype}")
    raw = np.ascontiguousarray(market).view(np.uint8)
    try:
        words, stats = hotpath_toolkit.overlay_strategy(raw, json.dumps(config), seed)
    except hotpath_toolkit.ScenarioConfigError as exc:
        if exc.field is not None and exc.field.startswith("strategy"):
            raise refusal(tab.file, exc, origins) from None
        raise ValueError(f"overlay: {exc}") from None
    return words.view(EVENT_DTYPE), json.loads(stats)
