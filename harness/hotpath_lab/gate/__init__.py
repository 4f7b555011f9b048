"""The regression gate (``hotpath gate``, docs/gate.md): does a commit make the hot path slower?

Two tiers, each judging a candidate (the working tree) against a baseline:

- ``det``: instructions and heap allocations per order request and per market-data event,
  counted under valgrind's callgrind on a fixed scenario slice, against the figures committed
  in ``results/baselines/``;
- ``wall``: latency percentiles per stage from baseline and candidate processes run
  interleaved on this machine, judged by bootstrap intervals and the machine's noise floor.

``outcome`` holds what both tiers return; the CLI turns it into tables and an exit code.
"""
