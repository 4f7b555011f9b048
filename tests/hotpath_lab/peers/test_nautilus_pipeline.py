"""The nautilus adapter in process: the scenario's requests through NautilusTrader's order
path, each answered as its path decides, translated and stamped (docs/peers.md). Runs where
nautilus_trader imports (`make test-peers` runs it in .venv-peers); skipped elsewhere."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip(
    "nautilus_trader", reason="nautilus_trader is not installed here (`make test-peers`)"
)

from tests.hotpath_lab.reporting.sample import META, MID, sample_records

from hotpath_format import EVENT_DTYPE, ReportKind, ScenarioMeta, Stage
from hotpath_lab.drivers.python_loop import feed
from hotpath_lab.peers.figures import request_counts, request_outcomes
from hotpath_lab.peers.nautilus import NautilusBuild

BOOK, TRADE, NEW, CANCEL, REPLACE = 1, 2, 3, 4, 5
BUY, SELL = 1, 2
LIMIT, MARKET = 1, 3
ANY = 255

# (id, orig_id, price, qty, instrument, account, kind, side, order_type, venue)
HAND_MADE = [
    (0, 0, MID - 100, 50, 0, 0, BOOK, BUY, 0, 0),
    (0, 0, MID + 100, 50, 0, 0, BOOK, SELL, 0, 0),
    (1, 0, MID - 200, 10, 0, 0, NEW, BUY, LIMIT, 0),  # rests
    (2, 0, MID + 100, 20, 0, 0, NEW, BUY, LIMIT, 0),  # takes the ask
    (3, 1, 0, 0, 0, 0, CANCEL, 0, 0, 0),  # cancels order 1
    (4, 0, MID + 200, 2_000_000, 0, 1, NEW, SELL, LIMIT, 0),  # above max_order_qty
    (5, 0, MID, 10, 7, 1, NEW, SELL, LIMIT, 0),  # an instrument it does not list
    (6, 0, MID, 10, 0, 1, NEW, 0, LIMIT, 0),  # no side: it has no such order
    (7, 999, 0, 0, 0, 0, CANCEL, 0, 0, 0),  # an order it never saw
    (9, 0, MID - 300, 10, 0, 0, NEW, BUY, LIMIT, 0),
    (10, 9, MID - 200, 20, 0, 0, REPLACE, 0, 0, 0),  # its modify, our new id
    (11, 0, 0, 10, 0, 0, NEW, SELL, MARKET, ANY),  # fills at once, never acked
    (12, 0, MID + 50, -10, 0, 0, NEW, BUY, LIMIT, 0),  # a negative quantity
]


def hand_made_records() -> np.ndarray:
    records = np.zeros(len(HAND_MADE), EVENT_DTYPE)
    for i, (id_, orig, px, qty, ins, acct, kind, side, ot, venue) in enumerate(HAND_MADE):
        records[i] = (1_000_000_000 + i * 1_000, id_, orig, px, qty, ins, acct, kind, side, ot,
                      venue)  # fmt: skip
    return records


def run(records: np.ndarray) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    build = NautilusBuild()
    assert build.interpreter is None, "importable here: its worker runs on this Python"
    pipeline = build.create(ScenarioMeta.from_dict(META), len(records), stage_timing=True)
    feed(pipeline, records)
    stamps = pipeline.stage_times()
    assert stamps is not None
    return pipeline.report_array(), stamps


def rows(reports: np.ndarray) -> list[tuple[int, int, int, int, int, int]]:
    return [
        (int(r["event_index"]), int(r["kind"]), int(r["order_id"]), int(r["price"]),
         int(r["qty"]), int(r["stage"]))
        for r in reports
    ]  # fmt: skip


def test_each_hand_made_request_gets_what_its_path_decides() -> None:
    reports, _ = run(hand_made_records())
    ack, rej, fill, cxl, rpl = (ReportKind.ACK, ReportKind.REJECT, ReportKind.FILL,
                                ReportKind.CANCELLED, ReportKind.REPLACED)  # fmt: skip
    assert rows(reports) == [
        (2, ack, 1, MID - 200, 10, 0),
        (3, ack, 2, MID + 100, 20, 0),
        (3, fill, 2, MID + 100, 20, 0),  # taker, at the ask
        (4, cxl, 1, 0, 10, 0),
        (5, rej, 4, 0, 0, Stage.RISK),  # its RiskEngine: quantity above the maximum
        (6, rej, 5, 0, 0, Stage.RISK),  # its RiskEngine: no such instrument
        (7, rej, 6, 0, 0, Stage.VALIDATION),  # not expressible as its order
        (8, rej, 7, 0, 0, Stage.VALIDATION),  # no order of its to cancel
        (9, ack, 9, MID - 300, 10, 0),
        (10, rpl, 10, MID - 200, 20, 0),  # its modify, reported under our new id
        (11, fill, 11, MID - 100, 10, 0),  # its market order: filled at the bid, no ACK
        (12, rej, 12, 0, 0, Stage.VALIDATION),  # its Quantity cannot be negative
    ]
    assert reports["ref_id"][3] == 3, "the cancel's own id"
    assert list(reports["seq"]) == list(range(1, len(reports) + 1))


def test_stamps_follow_its_path_for_every_request_put_to_it() -> None:
    records = hand_made_records()
    _, (validated, risked, executed) = run(records)
    sent = [2, 3, 4, 5, 6, 9, 10, 11]  # requests that reached its path
    for i in sent:
        assert 0 < validated[i] <= risked[i] <= executed[i], i
    refused = [7, 8, 12]
    market_data = [0, 1]
    for i in refused + market_data:
        assert validated[i] == risked[i] == executed[i] == 0, i


def test_every_request_of_a_scenario_is_answered_and_the_counts_add_up() -> None:
    records = sample_records(seconds=1.0)
    reports, (validated, risked, executed) = run(records)
    answered, accepted = request_outcomes(records, reports)
    counts = request_counts(records, reports, answered, accepted)
    assert counts["unanswered"] == 0
    new_rejects = reports[(reports["kind"] == ReportKind.REJECT)
                          & (records["kind"][reports["event_index"]] == NEW)]  # fmt: skip
    assert counts["new"] == counts["accepted"] + counts["filled_without_ack"] + len(new_rejects)
    cancel_rejects = reports[(reports["kind"] == ReportKind.REJECT)
                             & (records["kind"][reports["event_index"]] == CANCEL)]  # fmt: skip
    assert counts["cancel"] == counts["cancelled"] + len(cancel_rejects)
    assert counts["accepted"] > counts["new"] // 2, "the sample's orders are mostly valid"
    fills = reports[reports["kind"] == ReportKind.FILL]
    assert len(fills) > 0 and (fills["qty"] > 0).all() and (fills["price"] > 0).all()
    is_order = np.isin(records["kind"], (NEW, CANCEL, REPLACE))
    put = is_order & (validated > 0)
    assert (risked[put] >= validated[put]).all() and (executed[put] >= risked[put]).all()
    assert (executed[put] > 0).all(), "every request put to its path got an answer"
    assert not (validated[~is_order] > 0).any()


def test_two_passes_give_the_same_outcomes() -> None:
    records = sample_records(seconds=0.5)
    first, _ = run(records)
    second, _ = run(records)
    assert first.tobytes() == second.tobytes()
