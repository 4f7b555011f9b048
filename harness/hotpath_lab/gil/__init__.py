"""The GIL experiment (``hotpath gil``, docs/gil.md): the same sharded order flow driven by K
workers in four ways (Python threads, asyncio tasks, the Rust engine from Python threads with
the GIL released, Rust threads), throughput and per-order P99 as K grows.

``shards`` splits a scenario into independent per-account streams and deals them to workers,
``modes`` drives them, ``experiment`` runs every mode at every concurrency level and checks
the digests, ``results`` is ``gil.json``, its table and the run folder.
"""
