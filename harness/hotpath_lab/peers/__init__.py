"""Peers: other projects measured on the same work as the lab's builds (docs/peers.md).

Two kinds:

- **An order-path peer** (``nautilus``) is a build the harness measures like its own (same
  driver, pacing, stamps, HDR recorders, run folder) but that does not implement our
  contract (docs/pipeline.md): its report stream is its own outcomes translated into our
  records, so it is never part of the shadow comparison (``shadow_equal = False``). A peer
  whose packages conflict with the lab's pinned lock lives in a venv of its own
  (``.venv-peers``, ``make peers``); its worker then runs on that venv's interpreter
  (``interpreter``), and its results land in the same run.
- **The replay race** (``hotpath replay-race``, ``make hftbacktest``): replay speed of
  hftbacktest and of the rust-native build on one real Binance capture, with the per-level
  updates each side counts reconciled against an independent census of the capture.
"""
