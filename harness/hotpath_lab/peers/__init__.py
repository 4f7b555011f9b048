"""Peers: other systems measured on the same work as the lab's builds.

``hotpath replay-race`` (docs/peers.md, "hftbacktest"): replay speed of hftbacktest and of
the rust-native build on one real Binance capture, with the per-level updates each side
counts reconciled against an independent census of the capture.
"""
