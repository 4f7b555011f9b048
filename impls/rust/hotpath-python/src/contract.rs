//! `contract()`: the Rust side of the record contract, read from `hotpath_core::format`,
//! so the Python declaration of the same contract (`hotpath_format`) can be held equal to
//! it by a test instead of by hand.

use hotpath_core::format::{
    code_tables, event_fields, report_fields, Field, FieldType, FileKind, EVENT_RECORD_SIZE, FORMAT_VERSION,
    HEADER_SIZE, METADATA_FIELDS, REPORT_RECORD_SIZE, VENUE_ANY, WIRE_HEADER_SIZE, WIRE_MAX_BATCH,
    WIRE_MAX_TEXT, WIRE_VERSION,
};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

/// `contract()` → `{"records": {"event"|"report": {"size", "fields": [(name, offset, size,
/// kind)]}}, "codes": {enum: {NAME: value}}, "constants": {...}, "magic": {...},
/// "metadata_fields": [(path, type, min, max)]}`; `kind` is numpy's dtype kind character
/// (`u`, `i`, `V`); a metadata field's `type` is `string` (min and max `None`) or the
/// integer type that holds it.
#[pyfunction]
pub fn contract(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let record = |size: usize, fields: Vec<Field>| -> PyResult<Bound<'_, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("size", size)?;
        let fields: Vec<_> =
            fields.into_iter().map(|f| (f.name, f.offset, f.size, f.kind.code().to_string())).collect();
        d.set_item("fields", fields)?;
        Ok(d)
    };
    let records = PyDict::new(py);
    records.set_item("event", record(EVENT_RECORD_SIZE, event_fields())?)?;
    records.set_item("report", record(REPORT_RECORD_SIZE, report_fields())?)?;
    let codes = PyDict::new(py);
    for table in code_tables() {
        let values = PyDict::new(py);
        for (name, value) in table.codes {
            values.set_item(name, value)?;
        }
        codes.set_item(table.name, values)?;
    }
    let constants = PyDict::new(py);
    constants.set_item("VENUE_ANY", VENUE_ANY)?;
    constants.set_item("FORMAT_VERSION", FORMAT_VERSION)?;
    constants.set_item("HEADER_SIZE", HEADER_SIZE)?;
    constants.set_item("WIRE_HEADER_SIZE", WIRE_HEADER_SIZE)?;
    constants.set_item("WIRE_VERSION", WIRE_VERSION)?;
    constants.set_item("WIRE_MAX_BATCH", WIRE_MAX_BATCH)?;
    constants.set_item("WIRE_MAX_TEXT", WIRE_MAX_TEXT)?;
    let magic = PyDict::new(py);
    magic.set_item("events", PyBytes::new(py, FileKind::Events.magic()))?;
    magic.set_item("reports", PyBytes::new(py, FileKind::Reports.magic()))?;
    let metadata_fields: Vec<(&str, &str, Option<i128>, Option<i128>)> = METADATA_FIELDS
        .iter()
        .map(|(path, ty)| match *ty {
            FieldType::String => (*path, "string", None, None),
            FieldType::Integer { name, min, max } => (*path, name, Some(min), Some(max)),
        })
        .collect();
    let out = PyDict::new(py);
    out.set_item("metadata_fields", metadata_fields)?;
    out.set_item("records", records)?;
    out.set_item("codes", codes)?;
    out.set_item("constants", constants)?;
    out.set_item("magic", magic)?;
    Ok(out)
}
