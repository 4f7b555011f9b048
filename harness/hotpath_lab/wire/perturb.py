"""A testing aid: one event altered in the copy a candidate gateway receives, so that the
live shadow and the canary's mismatch guard can be seen catching a divergence
(``--perturb-event N``).

The change is one the pipeline must answer differently: a NEW_ORDER or REPLACE gets one
more lot, a CANCEL names another order, market data moves its quantity by one lot. Whether
the reports then differ is the pipeline's business: a book delta deep in the book may
change nothing anyone sees, and then the tools rightly report agreement.
"""

from __future__ import annotations

import numpy as np

from hotpath_format import EventKind, ScenarioMeta


def perturbed(records: np.ndarray, index: int, meta: ScenarioMeta) -> np.ndarray:
    """A copy of ``records`` with event ``index`` altered; raises ``ValueError`` naming the
    index when it is outside the stream."""
    if not 0 <= index < len(records):
        raise ValueError(f"--perturb-event {index}: the stream holds events 0..{len(records) - 1}")
    out = records.copy()
    e = out[index : index + 1]
    kind = int(e["kind"][0])
    if kind == EventKind.CANCEL:
        e["orig_id"] += 1
    else:
        e["qty"] += _lot(meta, int(e["instrument"][0]))
    return out


def _lot(meta: ScenarioMeta, instrument: int) -> int:
    lots = {i.id: i.lot_size for i in meta.instruments}
    return lots.get(instrument, 1)
