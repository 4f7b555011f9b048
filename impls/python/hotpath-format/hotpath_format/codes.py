"""Numeric codes carried in records; the values are part of the file format."""

from enum import IntEnum

VENUE_ANY = 255
"""``venue`` value that lets the router choose among all venues."""


class EventKind(IntEnum):
    BOOK_DELTA = 1
    TRADE = 2
    NEW_ORDER = 3
    CANCEL = 4
    REPLACE = 5


CONTROL_KINDS = range(32, 64)
"""Reserved for control events; none are defined in format version 1."""


class Side(IntEnum):
    BUY = 1
    SELL = 2


class OrderType(IntEnum):
    LIMIT = 1
    IOC = 2
    MARKET = 3


class ReportKind(IntEnum):
    ACK = 1
    REJECT = 2
    FILL = 3
    CANCELLED = 4
    REPLACED = 5
    HALT = 6


class Stage(IntEnum):
    VALIDATION = 1
    RISK = 2


class Reason(IntEnum):
    """Reject reasons: validation 1–31, risk 32–63 (rules in ``docs/pipeline.md``)."""

    UNKNOWN_INSTRUMENT = 1
    UNKNOWN_ACCOUNT = 2
    UNKNOWN_VENUE = 3
    INVALID_REQUEST = 4
    INVALID_QTY = 5
    QTY_TOO_LARGE = 6
    INVALID_PRICE = 7
    DUPLICATE_ID = 8
    UNKNOWN_ORDER = 9
    NO_REFERENCE_PRICE = 10
    TRADING_HALTED = 32
    PRICE_BAND = 33
    MAX_NOTIONAL = 34
    POSITION_LIMIT = 35
    EXPOSURE_LIMIT = 36
    RATE_LIMIT = 37
    MAX_OPEN_ORDERS = 38

    @property
    def stage(self) -> Stage:
        return Stage.VALIDATION if self.value < 32 else Stage.RISK


class CancelReason(IntEnum):
    REQUESTED = 1
    UNFILLED = 2
    KILL_SWITCH = 3


class Liquidity(IntEnum):
    MAKER = 1
    TAKER = 2


class WireKind(IntEnum):
    """Frame kinds of the wire protocol: 1–15 client → gateway, 16–31 back."""

    START = 1
    EVENTS = 2
    FINISH = 3
    READY = 16
    REPORTS = 17
    FINISHED = 18
    ERROR = 19


class WireReject(IntEnum):
    """Why a gateway refused a frame: the first payload byte of an ERROR frame."""

    TOO_SHORT = 1
    BAD_VERSION = 2
    UNKNOWN_KIND = 3
    BAD_SIZE = 4
    BAD_RECORD = 5
    NO_SESSION = 6
    BAD_METADATA = 7
