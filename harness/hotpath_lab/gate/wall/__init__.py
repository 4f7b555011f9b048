"""The gate's wall-clock tier (docs/gate-wall.md): baseline and candidate processes run
interleaved on this machine, latency percentiles per stage judged by bootstrap intervals
against thresholds measured on clean runs, and the machine's noise floor.

=============== ==============================================================
``environment`` the two sides: this tree, and a baseline commit set up in a cache
``schedule``    the running order of the two sides' processes (ABBA)
``runs``        one side's process: ``hotpath bench`` from that side's venv
``samples``     each side's interval histograms, stacked on one value grid
``resampling``  the bootstrap interval of a percentile's change (two-level)
``judge``       the rules: samples, noise floor, interval width, threshold
``attachment``  the differential flame graph of a regressed build
``tier``        ``run_wall_tier``: all of the above, returning a ``TierResult``
=============== ==============================================================
"""

from hotpath_lab.gate.wall.tier import (
    DEFAULT_PAIRS,
    QUICK_PAIRS,
    THIS_TREE,
    GateEnvironmentError,
    WallRunError,
    run_wall_tier,
)

__all__ = [
    "DEFAULT_PAIRS",
    "QUICK_PAIRS",
    "THIS_TREE",
    "GateEnvironmentError",
    "WallRunError",
    "run_wall_tier",
]
