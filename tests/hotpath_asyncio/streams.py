"""Random scenarios (metadata + ``EVENT_DTYPE`` stream) that exercise every pipeline rule.

One generator, two sources of randomness:

* ``scenarios()`` — a hypothesis strategy, for property and differential tests (it shrinks:
  every choice is an integer draw whose lower bound is the simplest option);
* ``random_scenario(seed, n_events)`` — the same generator driven by ``random.Random``, for
  large deterministic streams (benchmarks, coverage checks) where shrinking is not needed;
  ``seeded_scenarios()`` wraps it as a hypothesis strategy for long streams.

The ``ADVERSARIAL`` profile keeps id spaces small (duplicates, unknown orders), prices within
a few ticks of a drifting mid (sweeps, passive fills, price-band rejects), limits tight (risk
rejects, kill switches) and sprinkles malformed fields and extreme integers; no undefined
event kinds, which every way in refuses (the file reader, the wire, the in-memory API);
``REALISTIC`` is mostly market data and mostly valid requests, for throughput figures.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from hypothesis import strategies as st

from hotpath_format import EVENT_DTYPE, ScenarioMeta

Draw = Callable[[int, int], int]
"""``draw(lo, hi)``: an int in ``[lo, hi]``; ``lo`` is the simplest choice."""

Event = tuple[int, int, int, int, int, int, int, int, int, int, int]

I64_MAX = 2**63 - 1
U64_MAX = 2**64 - 1

BOOK_DELTA, TRADE, NEW_ORDER, CANCEL, REPLACE = 1, 2, 3, 4, 5
BUY, SELL = 1, 2
LIMIT, IOC, MARKET = 1, 2, 3
ANY = 255


@dataclass(frozen=True)
class Profile:
    """Knobs of the event mix (weights are relative; percentages are out of 100)."""

    delta_weight: int
    trade_weight: int
    new_weight: int
    cancel_weight: int
    replace_weight: int
    bad_kind_weight: int
    malformed_pct: int
    """Chance that an event gets one deliberately invalid field."""
    reused_id_pct: int
    """Chance that a request reuses a recent id instead of a fresh one."""
    extreme_pct: int
    """Chance (in 1000) of an extreme integer (near i64/u64 max) in a field."""
    passive_pct: int
    """Chance that a LIMIT or REPLACE is priced on its own side of the mid (rests)."""
    crossing_pct: int
    """Chance that a book delta sets a level on the wrong side of the mid (a crossed book)."""
    tight_limits: bool
    max_instruments: int
    max_venues: int
    max_accounts: int


ADVERSARIAL = Profile(
    delta_weight=30,
    trade_weight=16,
    new_weight=32,
    cancel_weight=10,
    replace_weight=10,
    bad_kind_weight=0,  # refused by every way in, so nothing the builds could disagree on
    malformed_pct=12,
    reused_id_pct=8,
    extreme_pct=4,
    passive_pct=50,
    crossing_pct=10,
    tight_limits=True,
    max_instruments=2,
    max_venues=3,
    max_accounts=3,
)

REALISTIC = Profile(
    delta_weight=62,
    trade_weight=8,
    new_weight=20,
    cancel_weight=7,
    replace_weight=3,
    bad_kind_weight=0,
    malformed_pct=1,
    reused_id_pct=0,
    extreme_pct=0,
    passive_pct=85,
    crossing_pct=1,
    tight_limits=False,
    max_instruments=2,
    max_venues=3,
    max_accounts=4,
)

STALE_DEPTH = 8
"""Ticks from the mid beyond which the generator deletes old book levels."""

TS_UNIT = 1_000
"""Timestamps advance in steps of this many ns; throttle windows are a few steps long."""


def _pick(draw: Draw, weights: tuple[int, ...]) -> int:
    """Index chosen with the given relative weights (index 0 is the simplest)."""
    x = draw(0, sum(weights) - 1)
    for i, w in enumerate(weights):
        if x < w:
            return i
        x -= w
    raise AssertionError("unreachable")


def _chance(draw: Draw, pct: int, scale: int = 100) -> bool:
    """True with probability ``pct / scale`` (False is the simplest)."""
    return pct > 0 and draw(0, scale - 1) >= scale - pct


def generate_meta(draw: Draw, profile: Profile = ADVERSARIAL) -> dict[str, Any]:
    """Metadata: 1..n instruments, venues and accounts with (for adversarial) tight limits."""
    n_instruments = draw(1, profile.max_instruments)
    n_venues = draw(1, profile.max_venues)
    n_accounts = draw(1, profile.max_accounts)
    instruments: list[dict[str, Any]] = []
    for i in range(n_instruments):
        tick = (1, 5, 2)[draw(0, 2)]
        lot = (1, 10, 3)[draw(0, 2)]
        max_price = tick * draw(200, 2000) * 2 + tick * draw(0, 3)
        if _chance(draw, profile.extreme_pct * 25, 1000):
            # Prices near i64::MAX / 2: sums of two prices, notionals, collars and PnL all
            # leave the i64 range (the Rust build must compute them in i128).
            max_price = I64_MAX - draw(0, 3)
        instruments.append(
            {
                "id": i,
                "symbol": f"INS{i}",
                "tick_size": tick,
                "lot_size": lot,
                "max_order_qty": lot * (draw(5, 60) if profile.tight_limits else 1000),
                "max_price": max_price,
                "band_bps": (500, 100, 2000, 20000, 0)[_pick(draw, (5, 3, 2, 1, 1))]
                if profile.tight_limits
                else (500, 1000)[draw(0, 1)],
            }
        )
    accounts = []
    for a in range(n_accounts):
        if profile.tight_limits:
            # Scale limits by the first instrument: tight enough to trip, not always.
            unit = instruments[0]["max_price"] // 2 * instruments[0]["lot_size"]
            limits = {
                "max_order_notional": min(I64_MAX, unit * draw(4, 60)),
                "max_gross_notional": min(I64_MAX, unit * draw(10, 300)),
                "max_position": [x["lot_size"] * draw(4, 80) for x in instruments],
                "rate_limit_count": draw(1, 8) if draw(0, 9) else 0,
                "rate_limit_window_ns": TS_UNIT * draw(1, 30),
                "max_open_orders": draw(0, 10),
                "max_loss": instruments[0]["tick_size"] * instruments[0]["lot_size"] * draw(0, 400),
            }
        else:
            limits = {
                "max_order_notional": 10**12,
                "max_gross_notional": 10**15,
                "max_position": [x["lot_size"] * 10**6 for x in instruments],
                "rate_limit_count": 50,
                "rate_limit_window_ns": TS_UNIT * 10,
                "max_open_orders": 200,
                "max_loss": 10**12,
            }
        accounts.append({"id": a, "name": f"acct{a}", "limits": limits})
    return {
        "schema": 1,
        "name": "random",
        "description": "generated by tests/hotpath_asyncio/streams.py",
        "instruments": instruments,
        "venues": [{"id": v, "name": f"venue{v}"} for v in range(n_venues)],
        "accounts": accounts,
    }


class _StreamState:
    """What the generator remembers to make requests refer to plausible orders."""

    def __init__(self, meta: dict[str, Any]) -> None:
        self.instruments: list[dict[str, Any]] = meta["instruments"]
        self.n_venues = len(meta["venues"])
        self.n_accounts = len(meta["accounts"])
        self.mids: list[int] = [
            ins["max_price"] // 2 // ins["tick_size"] * ins["tick_size"] for ins in self.instruments
        ]
        self.ts = 0
        self.next_id = 1
        self.levels: dict[tuple[int, int, int], set[int]] = {}
        """Prices the stream has set on each (instrument, venue, side) and not deleted."""
        self.recent: list[tuple[int, int, int, int]] = []
        """(id, account, instrument, side) of recent LIMIT and REPLACE requests, newest last."""


def generate_events(
    draw: Draw, meta: dict[str, Any], n_events: int, profile: Profile = ADVERSARIAL
) -> list[Event]:
    """``n_events`` event tuples in ``EVENT_STRUCT`` order with non-decreasing ``ts``."""
    state = _StreamState(meta)
    weights = (
        profile.delta_weight,
        profile.trade_weight,
        profile.new_weight,
        profile.cancel_weight,
        profile.replace_weight,
        profile.bad_kind_weight,
    )
    events = []
    for _ in range(n_events):
        state.ts += TS_UNIT * (0, 1, 2, 7, 40)[_pick(draw, (4, 4, 2, 1, 1))]
        choice = _pick(draw, weights)
        if choice == 0:
            event = _market_data(draw, state, profile, BOOK_DELTA)
        elif choice == 1:
            event = _market_data(draw, state, profile, TRADE)
        elif choice == 2:
            event = _new_order(draw, state, profile)
        elif choice in (3, 4):
            event = _amend(draw, state, profile, CANCEL if choice == 3 else REPLACE)
        else:
            kind = (0, 6, 31, 32, 63, 255)[draw(0, 5)]
            event = (state.ts, draw(0, 5), 0, 100, 1, 0, 0, kind, BUY, LIMIT, 0)
        events.append(event)
    return events


def _near(draw: Draw, state: _StreamState, instrument: int, spread: int) -> int:
    tick: int = state.instruments[instrument]["tick_size"]
    return state.mids[instrument] + tick * draw(-spread, spread)


def _passive(draw: Draw, state: _StreamState, instrument: int, side: int) -> int:
    """A price 1–5 ticks on the order's own side of the mid: it rests rather than crosses."""
    tick: int = state.instruments[instrument]["tick_size"]
    offset = tick * draw(1, 5)
    mid = state.mids[instrument]
    return mid - offset if side == BUY else mid + offset


def _market_data(draw: Draw, state: _StreamState, profile: Profile, kind: int) -> Event:
    instrument = draw(0, len(state.instruments) - 1)
    ins = state.instruments[instrument]
    tick, lot = ins["tick_size"], ins["lot_size"]
    if _chance(draw, 15):
        state.mids[instrument] = max(tick * 4, state.mids[instrument] + tick * draw(-2, 2))
    mid = state.mids[instrument]
    venue = draw(0, state.n_venues - 1)
    side = BUY if draw(0, 1) == 0 else SELL
    levels = state.levels.setdefault((instrument, venue, side), set())
    if kind == BOOK_DELTA:
        # Levels left behind by the drifting mid (crossed, or too deep) are deleted first,
        # as a venue would; otherwise bids go below the mid and asks above, now and then
        # crossing it.
        stale = sorted(
            p
            for p in levels
            if (p >= mid if side == BUY else p <= mid) or abs(p - mid) > tick * STALE_DEPTH
        )
        if stale and draw(0, 1) == 0:
            price, qty = stale[draw(0, len(stale) - 1)], 0
        else:
            crossing = _chance(draw, profile.crossing_pct)
            depth = -draw(1, 2) if crossing else draw(0, 6)
            price = mid - tick * depth if side == BUY else mid + tick * depth
            qty = 0 if draw(0, 4) == 0 else lot * draw(1, 40)
    else:
        price = mid + tick * draw(-3, 3)
        qty = lot * draw(1, 30)
    if _chance(draw, profile.malformed_pct):
        which = draw(0, 5)
        if which == 0:
            venue = state.n_venues + draw(0, 1) if draw(0, 1) else ANY
        elif which == 1:
            instrument = len(state.instruments) + draw(0, 2)
        elif which == 2:
            side = (0, 3, 255)[draw(0, 2)]
        elif which == 3:
            price = -draw(0, 5) * tick
        elif which == 4:
            qty = -draw(1, 5) if kind == BOOK_DELTA else -draw(0, 5)
        else:
            # Off-grid prices are not ignored by market data.
            price = min(I64_MAX, price + (draw(1, tick - 1) if tick > 1 else 0))
    if _chance(draw, profile.extreme_pct, 1000):
        if draw(0, 1):
            price = I64_MAX - draw(0, 2)
        else:
            qty = I64_MAX - draw(0, 2)
    if kind == BOOK_DELTA:
        # Only a heuristic view of the book (malformed deltas are tracked too): it is only
        # used to pick levels worth deleting.
        if qty > 0:
            levels.add(price)
        else:
            levels.discard(price)
    return (state.ts, 0, 0, price, qty, instrument, 0, kind, side, 0, venue)


def _request_id(draw: Draw, state: _StreamState, profile: Profile) -> int:
    if state.recent and _chance(draw, profile.reused_id_pct):
        return state.recent[draw(0, len(state.recent) - 1)][0]
    if _chance(draw, profile.extreme_pct, 1000):
        return U64_MAX - draw(0, 3)
    request_id = state.next_id
    state.next_id += 1
    return request_id


def _new_order(draw: Draw, state: _StreamState, profile: Profile) -> Event:
    instrument = draw(0, len(state.instruments) - 1)
    account = draw(0, state.n_accounts - 1)
    ins = state.instruments[instrument]
    tick, lot = ins["tick_size"], ins["lot_size"]
    request_id = _request_id(draw, state, profile)
    side = BUY if draw(0, 1) == 0 else SELL
    order_type = (LIMIT, IOC, MARKET)[_pick(draw, (6, 2, 2))]
    if order_type == MARKET:
        price = 0
    elif order_type == LIMIT and _chance(draw, profile.passive_pct):
        price = _passive(draw, state, instrument, side)
    else:
        price = _near(draw, state, instrument, 5)
    qty = lot * draw(1, 12)
    venue = ANY if draw(0, 2) == 0 else draw(0, state.n_venues - 1)
    if _chance(draw, profile.malformed_pct):
        which = draw(0, 7)
        if which == 0:
            instrument = len(state.instruments) + draw(0, 2)
        elif which == 1:
            account = state.n_accounts + draw(0, 2)
        elif which == 2:
            venue = state.n_venues + draw(0, 3)
        elif which == 3:
            side = (0, 3)[draw(0, 1)]
        elif which == 4:
            order_type = (0, 4, 255)[draw(0, 2)]
        elif which == 5:
            qty = (0, -lot, lot + 1 if lot > 1 else 0, ins["max_order_qty"] + lot)[draw(0, 3)]
        elif which == 6:
            bad = (0, -tick, price + 1 if tick > 1 else -1, min(I64_MAX, ins["max_price"] + tick))
            price = bad[draw(0, 3)]
        else:
            price = _near(draw, state, instrument, 5)  # a MARKET with a price: ignored
    if order_type == LIMIT:
        state.recent.append((request_id, account, instrument, side))
        del state.recent[:-12]
    orig_id = draw(0, 3) if _chance(draw, profile.malformed_pct) else 0
    return (
        state.ts, request_id, orig_id, price, qty, instrument, account, NEW_ORDER, side,
        order_type, venue,
    )  # fmt: skip


def _amend(draw: Draw, state: _StreamState, profile: Profile, kind: int) -> Event:
    request_id = _request_id(draw, state, profile)
    if state.recent and draw(0, 5):
        newest_first = len(state.recent) - 1 - draw(0, min(3, len(state.recent) - 1))
        orig_id, account, instrument, orig_side = state.recent.pop(newest_first)
    else:
        orig_id = draw(0, state.next_id)
        account = draw(0, state.n_accounts - 1)
        instrument = draw(0, len(state.instruments) - 1)
        orig_side = BUY
    price = qty = side = venue = 0
    if kind == REPLACE:
        known = instrument if instrument < len(state.instruments) else 0
        ins = state.instruments[known]
        if _chance(draw, profile.passive_pct):
            price = _passive(draw, state, known, orig_side)
        else:
            price = _near(draw, state, known, 5)
        qty = ins["lot_size"] * draw(1, 12)
        state.recent.append((request_id, account, instrument, orig_side))
        del state.recent[:-12]
    if _chance(draw, profile.malformed_pct):
        which = draw(0, 4)
        if which == 0:
            instrument = len(state.instruments) + draw(0, 2)
        elif which == 1:
            account = state.n_accounts + draw(0, 2)
        elif which == 2:
            qty = (0, -1, 10**9)[draw(0, 2)] if kind == REPLACE else draw(1, 9)
        elif which == 3:
            price = (0, -5, 10**9)[draw(0, 2)] if kind == REPLACE else draw(1, 9)
        else:
            # Fields a CANCEL/REPLACE must ignore.
            side, venue = (0, 1, 2, 7)[draw(0, 3)], (0, 1, 200, 255)[draw(0, 3)]
    return (state.ts, request_id, orig_id, price, qty, instrument, account, kind, side, 0, venue)


def to_records(events: list[Event]) -> np.ndarray:
    """Event tuples as an ``EVENT_DTYPE`` array."""
    return np.array(events, dtype=EVENT_DTYPE) if events else np.zeros(0, EVENT_DTYPE)


@st.composite
def scenarios(
    draw: st.DrawFn,
    min_events: int = 1,
    max_events: int = 150,
    profile: Profile = ADVERSARIAL,
) -> tuple[ScenarioMeta, np.ndarray]:
    """A hypothesis strategy for ``(ScenarioMeta, EVENT_DTYPE array)``."""

    def draw_int(lo: int, hi: int) -> int:
        return draw(st.integers(lo, hi))

    meta = generate_meta(draw_int, profile)
    n_events = draw_int(min_events, max_events)
    events = generate_events(draw_int, meta, n_events, profile)
    return ScenarioMeta.from_dict(meta), to_records(events)


def random_scenario(
    seed: int, n_events: int, profile: Profile = ADVERSARIAL
) -> tuple[ScenarioMeta, np.ndarray]:
    """The same generator, seeded: deterministic and fast for large streams."""
    rng = random.Random(seed)
    meta = generate_meta(rng.randint, profile)
    events = generate_events(rng.randint, meta, n_events, profile)
    return ScenarioMeta.from_dict(meta), to_records(events)


@st.composite
def seeded_scenarios(
    draw: st.DrawFn,
    min_events: int,
    max_events: int,
    profile: Profile = REALISTIC,
) -> tuple[ScenarioMeta, np.ndarray]:
    """Long streams for hypothesis: it draws only a seed and a length, so a thousand events
    cost a few bytes of its entropy budget (drawing each field would overrun it and make
    hypothesis discard most examples). A failure reports the seed, which replays exactly."""
    seed = draw(st.integers(0, 2**63 - 1), label="seed")
    n_events = draw(st.integers(min_events, max_events), label="n_events")
    return random_scenario(seed, n_events, profile)
