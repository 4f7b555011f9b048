"""Hybrid builds: the migration from the Python build to the Rust build, one phase at a time.

- ``RustRiskEngine`` (build ``hybrid-risk``, phase 1): the Python asyncio service with its
  pre-trade risk stage moved to the Rust risk desk.
- ``PythonValidationFront`` (build ``hybrid-risk-exec``, phase 2): the Python service keeps
  the static validation rules; the Rust engine owns the state and runs everything else.

Who owns which state, and what crosses the FFI per event, is in ``docs/migration.md``.
"""

from __future__ import annotations

from hotpath_hybrid.front import PythonValidationFront
from hotpath_hybrid.risk_engine import RustRiskEngine

__all__ = ["PythonValidationFront", "RustRiskEngine"]
