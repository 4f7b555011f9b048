"""The shared binary formats (``docs/formats.md``): records, codes, metadata and files."""

from hotpath_lab.formats.codes import (
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
from hotpath_lab.formats.files import (
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
from hotpath_lab.formats.meta import (
    AccountLimits,
    AccountMeta,
    InstrumentMeta,
    MetadataError,
    ScenarioMeta,
    VenueMeta,
)
from hotpath_lab.formats.records import EVENT_DTYPE, EVENT_STRUCT, REPORT_DTYPE, REPORT_STRUCT

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
    "read_events",
    "read_reports",
    "report_digest",
    "write_events",
    "write_reports",
]
