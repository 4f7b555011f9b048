"""The one error of ``hotpath_lab.storage``."""

from __future__ import annotations


class ResultsError(ValueError):
    """A run folder or ``run.json`` that cannot be used; the message names the file and,
    for a malformed document, the field path (``builds.python.latency_ns.e2e.p99``)."""
