"""The one error of ``hotpath_lab.storage``, and the warning of a run a listing left out."""

from __future__ import annotations


class ResultsError(ValueError):
    """A run folder or ``run.json`` that cannot be used; the message names the file and,
    for a malformed document, the field path (``builds.python.latency_ns.e2e.p99``)."""


class SkippedRunWarning(UserWarning):
    """A run folder left out of a listing because its ``run.json`` cannot be read; the
    message names the file and why."""
