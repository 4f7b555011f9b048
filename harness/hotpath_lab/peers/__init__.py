"""Peers: other projects' order paths driven by the lab on our scenarios (docs/peers.md).

A peer is a build the harness measures like its own (same driver, pacing, stamps, HDR
recorders, run folder) but that does not implement our contract (docs/pipeline.md): its
report stream is its own outcomes translated into our records, so it is never part of the
shadow comparison (``shadow_equal = False``). A peer whose packages conflict with the lab's
pinned lock lives in a venv of its own (``.venv-peers``, ``make peers``); its worker then
runs on that venv's interpreter (``interpreter``), and its results land in the same run.
"""
