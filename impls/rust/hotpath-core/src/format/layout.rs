//! The record contract as data: each record's fields (name, offset, size, integer kind)
//! and every code table, read from the Rust types themselves.
//!
//! Other languages declare the same layout by hand (`hotpath_format.records` in Python);
//! the bindings hand these tables over so a test can hold the two declarations equal.

use super::records::{
    CancelReason, EventKind, EventRecord, Liquidity, OrderType, Reason, ReportKind, ReportRecord, Side, Stage,
};

/// How a field's bytes are read (all little-endian).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// An unsigned integer.
    Unsigned,
    /// A two's-complement signed integer.
    Signed,
    /// Padding bytes, always zero.
    Padding,
}

impl FieldKind {
    /// The kind as numpy's dtype kind character (`u`, `i`, `V`).
    pub const fn code(self) -> char {
        match self {
            FieldKind::Unsigned => 'u',
            FieldKind::Signed => 'i',
            FieldKind::Padding => 'V',
        }
    }
}

/// One field of a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    /// The field's name (as in `docs/formats.md`).
    pub name: &'static str,
    /// Byte offset within the record.
    pub offset: usize,
    /// Size in bytes.
    pub size: usize,
    /// How the bytes are read.
    pub kind: FieldKind,
}

/// A Rust field type the record formats use.
trait FieldType {
    const KIND: FieldKind;
}

impl FieldType for u8 {
    const KIND: FieldKind = FieldKind::Unsigned;
}
impl FieldType for u16 {
    const KIND: FieldKind = FieldKind::Unsigned;
}
impl FieldType for u64 {
    const KIND: FieldKind = FieldKind::Unsigned;
}
impl FieldType for i64 {
    const KIND: FieldKind = FieldKind::Signed;
}
impl<const N: usize> FieldType for [u8; N] {
    const KIND: FieldKind = FieldKind::Padding;
}

/// The field of `R` at `offset` whose type `project` names.
fn field<R, T: FieldType>(name: &'static str, offset: usize, _project: fn(&R) -> &T) -> Field {
    Field { name, offset, size: std::mem::size_of::<T>(), kind: T::KIND }
}

/// The fields of a record type in declaration order. The struct pattern lists every field
/// without `..`, so a field added to the record and not here does not compile.
macro_rules! record_fields {
    ($record:ident { $($name:ident),+ $(,)? }) => {{
        #[allow(dead_code)]
        fn every_field_is_listed(r: $record) {
            let $record { $($name: _),+ } = r;
        }
        vec![$(field(stringify!($name), std::mem::offset_of!($record, $name), |r: &$record| &r.$name)),+]
    }};
}

/// The fields of [`EventRecord`], in order.
pub fn event_fields() -> Vec<Field> {
    record_fields!(EventRecord {
        ts,
        id,
        orig_id,
        price,
        qty,
        instrument,
        account,
        kind,
        side,
        order_type,
        venue
    })
}

/// The fields of [`ReportRecord`], in order.
pub fn report_fields() -> Vec<Field> {
    record_fields!(ReportRecord {
        seq,
        event_index,
        order_id,
        ref_id,
        price,
        qty,
        instrument,
        account,
        kind,
        stage,
        reason,
        venue,
        liquidity,
        side,
        pad
    })
}

/// One code enum: its type name and every `(NAME, value)` pair, in declaration order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeTable {
    /// The Rust type name (`EventKind`), which the other languages reuse.
    pub name: &'static str,
    /// Upper-case name and byte value of each code.
    pub codes: Vec<(&'static str, u8)>,
}

/// Every code table the records carry.
pub fn code_tables() -> Vec<CodeTable> {
    vec![
        EventKind::code_table(),
        Side::code_table(),
        OrderType::code_table(),
        ReportKind::code_table(),
        Stage::code_table(),
        Reason::code_table(),
        CancelReason::code_table(),
        Liquidity::code_table(),
        super::wire::WireKind::code_table(),
        super::wire::WireReject::code_table(),
    ]
}

#[cfg(test)]
mod tests {
    use super::super::records::{EVENT_RECORD_SIZE, REPORT_RECORD_SIZE};
    use super::*;

    /// Fields in order, each starting where the last ended and together filling the
    /// record: a field left out or out of order leaves a gap.
    fn assert_packed(fields: &[Field], size: usize) {
        let mut at = 0;
        for f in fields {
            assert_eq!(f.offset, at, "{} starts at {}, expected {at}", f.name, f.offset);
            at += f.size;
        }
        assert_eq!(at, size);
    }

    #[test]
    fn the_fields_fill_each_record_exactly() {
        assert_packed(&event_fields(), EVENT_RECORD_SIZE);
        assert_packed(&report_fields(), REPORT_RECORD_SIZE);
    }

    #[test]
    fn kinds_and_sizes_follow_the_rust_types() {
        let price = event_fields().into_iter().find(|f| f.name == "price").expect("price");
        assert_eq!((price.offset, price.size, price.kind), (24, 8, FieldKind::Signed));
        let pad = report_fields().pop().expect("fields");
        assert_eq!((pad.name, pad.size, pad.kind.code()), ("pad", 6, 'V'));
    }

    #[test]
    fn code_tables_list_every_variant_by_name() {
        let tables = code_tables();
        let reason = tables.iter().find(|t| t.name == "Reason").expect("Reason");
        assert_eq!(reason.codes.len(), Reason::ALL.len());
        assert!(reason.codes.contains(&("RATE_LIMIT", 37)));
        assert_eq!(tables.len(), 10);
        assert!(tables.iter().any(|t| t.name == "WireReject" && t.codes.contains(&("BAD_RECORD", 5))));
    }
}
