"""hotpath lab: scenario generation and import, replay drivers, measurement, results and CLI.

The order pipeline itself lives in two builds: ``hotpath_asyncio`` (Python) and
``hotpath_rs`` (Rust, via PyO3). This package drives and measures them.
"""

__version__ = "0.1.0"
