//! The shared binary formats: event and report records, file header, scenario metadata,
//! and zero-copy views over mapped files and byte buffers. `docs/formats.md` is the spec.

mod header;
mod layout;
mod meta;
mod meta_fields;
#[macro_use]
mod records;
mod view;
mod wire;

pub use header::{FileHeader, FileKind, FORMAT_VERSION, HEADER_SIZE};
pub use layout::{code_tables, event_fields, report_fields, CodeTable, Field, FieldKind};
pub use meta::{AccountLimits, AccountMeta, InstrumentMeta, MetaFault, ScenarioMeta, VenueMeta};
pub use meta_fields::{check_field_types, FieldType, METADATA_FIELDS};
pub use records::*;
pub use view::{
    check_events, check_kinds, events_from_bytes, parse_file, records_as_bytes, records_from_bytes,
    reports_from_bytes, EventFile, ParsedFile, Record, ReportFile,
};
pub use wire::{
    decode_events, encode_records, error_frame, text_frame, WireHeader, WireKind, WireReject,
    WIRE_HEADER_SIZE, WIRE_MAX_BATCH, WIRE_MAX_TEXT, WIRE_VERSION,
};
