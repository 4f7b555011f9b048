"""The hotpath record contract in Python (``docs/formats.md``): the event and report records,
the codes they carry, scenario metadata and the files that hold them. It is the counterpart of
``hotpath_core::format`` in Rust; both builds and the lab depend on it, and it depends on numpy
only."""

from hotpath_format.codes import (
    VENUE_ANY,
    CancelReason,
    EventKind,
    Liquidity,
    OrderType,
    Reason,
    ReportKind,
    Side,
    Stage,
)
from hotpath_format.files import (
    EventFile,
    FormatError,
    ReportFile,
    file_digest,
    read_events,
    read_reports,
    report_digest,
    write_events,
    write_reports,
)
from hotpath_format.meta import (
    AccountLimits,
    AccountMeta,
    InstrumentMeta,
    MetadataError,
    ScenarioMeta,
    VenueMeta,
)
from hotpath_format.records import (
    EVENT_DTYPE,
    EVENT_STRUCT,
    REPORT_DTYPE,
    REPORT_STRUCT,
    order_capacity,
)

__all__ = [
    "EVENT_DTYPE",
    "EVENT_STRUCT",
    "REPORT_DTYPE",
    "REPORT_STRUCT",
    "VENUE_ANY",
    "AccountLimits",
    "AccountMeta",
    "CancelReason",
    "EventFile",
    "EventKind",
    "FormatError",
    "InstrumentMeta",
    "Liquidity",
    "MetadataError",
    "OrderType",
    "Reason",
    "ReportFile",
    "ReportKind",
    "ScenarioMeta",
    "Side",
    "Stage",
    "VenueMeta",
    "file_digest",
    "order_capacity",
    "read_events",
    "read_reports",
    "report_digest",
    "write_events",
    "write_reports",
]
