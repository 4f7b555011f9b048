"""Record codes as plain ``int`` constants for the per-event path.

The values come from the ``IntEnum``\\s in ``hotpath_format`` (the record contract, the single
definition of the format); they are copied into module constants because comparing against an
``IntEnum`` member costs an attribute lookup and an enum ``__eq__`` on every use.
"""

from typing import Final

from hotpath_format import (
    VENUE_ANY as _VENUE_ANY,
)
from hotpath_format import (
    CancelReason,
    EventKind,
    Liquidity,
    OrderType,
    Reason,
    ReportKind,
    Side,
    Stage,
)

VENUE_ANY: Final = int(_VENUE_ANY)

EV_BOOK_DELTA: Final = int(EventKind.BOOK_DELTA)
EV_TRADE: Final = int(EventKind.TRADE)
EV_NEW_ORDER: Final = int(EventKind.NEW_ORDER)
EV_CANCEL: Final = int(EventKind.CANCEL)
EV_REPLACE: Final = int(EventKind.REPLACE)

BUY: Final = int(Side.BUY)
SELL: Final = int(Side.SELL)

LIMIT: Final = int(OrderType.LIMIT)
IOC: Final = int(OrderType.IOC)
MARKET: Final = int(OrderType.MARKET)

RPT_ACK: Final = int(ReportKind.ACK)
RPT_REJECT: Final = int(ReportKind.REJECT)
RPT_FILL: Final = int(ReportKind.FILL)
RPT_CANCELLED: Final = int(ReportKind.CANCELLED)
RPT_REPLACED: Final = int(ReportKind.REPLACED)
RPT_HALT: Final = int(ReportKind.HALT)

STAGE_VALIDATION: Final = int(Stage.VALIDATION)
STAGE_RISK: Final = int(Stage.RISK)

UNKNOWN_INSTRUMENT: Final = int(Reason.UNKNOWN_INSTRUMENT)
UNKNOWN_ACCOUNT: Final = int(Reason.UNKNOWN_ACCOUNT)
UNKNOWN_VENUE: Final = int(Reason.UNKNOWN_VENUE)
INVALID_REQUEST: Final = int(Reason.INVALID_REQUEST)
INVALID_QTY: Final = int(Reason.INVALID_QTY)
QTY_TOO_LARGE: Final = int(Reason.QTY_TOO_LARGE)
INVALID_PRICE: Final = int(Reason.INVALID_PRICE)
DUPLICATE_ID: Final = int(Reason.DUPLICATE_ID)
UNKNOWN_ORDER: Final = int(Reason.UNKNOWN_ORDER)
NO_REFERENCE_PRICE: Final = int(Reason.NO_REFERENCE_PRICE)
TRADING_HALTED: Final = int(Reason.TRADING_HALTED)
PRICE_BAND: Final = int(Reason.PRICE_BAND)
MAX_NOTIONAL: Final = int(Reason.MAX_NOTIONAL)
POSITION_LIMIT: Final = int(Reason.POSITION_LIMIT)
EXPOSURE_LIMIT: Final = int(Reason.EXPOSURE_LIMIT)
RATE_LIMIT: Final = int(Reason.RATE_LIMIT)
MAX_OPEN_ORDERS: Final = int(Reason.MAX_OPEN_ORDERS)

CXL_REQUESTED: Final = int(CancelReason.REQUESTED)
CXL_UNFILLED: Final = int(CancelReason.UNFILLED)
CXL_KILL_SWITCH: Final = int(CancelReason.KILL_SWITCH)

LIQ_MAKER: Final = int(Liquidity.MAKER)
LIQ_TAKER: Final = int(Liquidity.TAKER)

BPS_DENOMINATOR: Final = 10_000
"""Basis points per unit: ``band_bps / BPS_DENOMINATOR`` is the collar as a fraction."""
