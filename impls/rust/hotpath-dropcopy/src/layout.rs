//! The two streams' layout (docs/dropcopy.md): the `XADD` that writes each entry, and the
//! decoding of entries read back, for tests and readers.
//!
//! `P:reports` entries: ID `<last seq>-0`, fields `first`, `count`, `records` (64-byte
//! report records). `P:positions` entries: ID `<as_of>-0`, fields `as_of`, `positions`
//! (16-byte position records sorted by account and instrument).

use hotpath_core::format::{records_as_bytes, ReportRecord, REPORT_RECORD_SIZE};

use crate::resp::{encode, Reply};

/// Most reports one `P:reports` entry may hold.
pub const MAX_ENTRY_REPORTS: usize = 256;
/// Size of one position record.
pub const POSITION_RECORD_SIZE: usize = 16;

/// The two stream keys under a prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamKeys {
    /// `P:reports`
    pub reports: String,
    /// `P:positions`
    pub positions: String,
}

impl StreamKeys {
    /// The keys under `prefix`.
    pub fn new(prefix: &str) -> StreamKeys {
        StreamKeys { reports: format!("{prefix}:reports"), positions: format!("{prefix}:positions") }
    }
}

/// The entry ID `<seq>-0`.
pub fn entry_id(seq: u64) -> String {
    format!("{seq}-0")
}

/// The seq of an entry ID `<seq>-0`; `None` for any other ID.
pub fn parse_entry_id(id: &str) -> Option<u64> {
    let seq = id.strip_suffix("-0")?;
    if seq.is_empty() || !seq.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    seq.parse().ok()
}

/// Appends the `XADD` of one `P:reports` entry holding `reports` (seqs in order, at
/// least one).
pub fn encode_reports_entry(out: &mut Vec<u8>, key: &str, reports: &[ReportRecord]) {
    let (first, last) = match (reports.first(), reports.last()) {
        (Some(f), Some(l)) => (f.seq, l.seq),
        _ => return,
    };
    encode(
        out,
        &[
            b"XADD",
            key.as_bytes(),
            entry_id(last).as_bytes(),
            b"first",
            first.to_string().as_bytes(),
            b"count",
            reports.len().to_string().as_bytes(),
            b"records",
            records_as_bytes(reports),
        ],
    );
}

/// Appends the `XADD` of one `P:positions` entry.
pub fn encode_positions_entry(out: &mut Vec<u8>, key: &str, as_of: u64, positions: &[u8]) {
    encode(
        out,
        &[
            b"XADD",
            key.as_bytes(),
            entry_id(as_of).as_bytes(),
            b"as_of",
            as_of.to_string().as_bytes(),
            b"positions",
            positions,
        ],
    );
}

/// Net position of one account in one instrument.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// Account id.
    pub account: u16,
    /// Instrument id.
    pub instrument: u16,
    /// Net quantity (buys minus sells), in quantity units.
    pub position: i64,
}

impl Position {
    /// The 16-byte record: `account u16, instrument u16, 4 zero bytes, position i64`.
    pub fn to_bytes(self) -> [u8; POSITION_RECORD_SIZE] {
        let mut b = [0u8; POSITION_RECORD_SIZE];
        b[0..2].copy_from_slice(&self.account.to_le_bytes());
        b[2..4].copy_from_slice(&self.instrument.to_le_bytes());
        b[8..16].copy_from_slice(&self.position.to_le_bytes());
        b
    }

    /// Reads one 16-byte record.
    pub fn from_bytes(b: &[u8; POSITION_RECORD_SIZE]) -> Position {
        Position {
            account: u16::from_le_bytes([b[0], b[1]]),
            instrument: u16::from_le_bytes([b[2], b[3]]),
            position: i64::from_le_bytes(le8(&b[8..16])),
        }
    }
}

fn le8(b: &[u8]) -> [u8; 8] {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[..8]);
    a
}

/// Reads one 64-byte report record from bytes of any alignment.
pub fn report_from_bytes(b: &[u8; REPORT_RECORD_SIZE]) -> ReportRecord {
    let u64_at = |at: usize| u64::from_le_bytes(le8(&b[at..at + 8]));
    let mut pad = [0u8; 6];
    pad.copy_from_slice(&b[58..64]);
    ReportRecord {
        seq: u64_at(0),
        event_index: u64_at(8),
        order_id: u64_at(16),
        ref_id: u64_at(24),
        price: u64_at(32) as i64,
        qty: u64_at(40) as i64,
        instrument: u16::from_le_bytes([b[48], b[49]]),
        account: u16::from_le_bytes([b[50], b[51]]),
        kind: b[52],
        stage: b[53],
        reason: b[54],
        venue: b[55],
        liquidity: b[56],
        side: b[57],
        pad,
    }
}

/// One stream entry as read back: its ID and its field/value pairs in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamEntry {
    /// The entry ID (`<seq>-0` for the drop-copy's streams).
    pub id: String,
    /// Field/value pairs, in the order written.
    pub fields: Vec<(Vec<u8>, Vec<u8>)>,
}

impl StreamEntry {
    /// The entries of an `XRANGE`/`XREVRANGE` reply; `None` if the reply is not one.
    pub fn list_from_reply(reply: Reply) -> Option<Vec<StreamEntry>> {
        let Reply::Array(Some(items)) = reply else { return None };
        items.into_iter().map(StreamEntry::from_reply).collect()
    }

    fn from_reply(reply: Reply) -> Option<StreamEntry> {
        let Reply::Array(Some(parts)) = reply else { return None };
        let mut parts = parts.into_iter();
        let (Some(Reply::Bulk(Some(id))), Some(Reply::Array(Some(flat))), None) =
            (parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        let mut values = flat.into_iter().map(|r| match r {
            Reply::Bulk(Some(b)) => Some(b),
            _ => None,
        });
        let mut fields = Vec::new();
        while let Some(name) = values.next() {
            fields.push((name?, values.next()??));
        }
        Some(StreamEntry { id: String::from_utf8(id).ok()?, fields })
    }

    /// The value of field `name`, if the entry has it.
    pub fn field(&self, name: &str) -> Option<&[u8]> {
        self.fields.iter().find(|(n, _)| n == name.as_bytes()).map(|(_, v)| v.as_slice())
    }

    fn number(&self, name: &str) -> Result<u64, String> {
        let v = self.field(name).ok_or_else(|| format!("entry {}: no field {name}", self.id))?;
        std::str::from_utf8(v)
            .ok()
            .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| {
                format!("entry {}: {name} {:?} is not a decimal number", self.id, String::from_utf8_lossy(v))
            })
    }
}

/// A `P:reports` entry, checked against the layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportsEntry {
    /// Seq of the entry's first report.
    pub first: u64,
    /// Its reports, seqs `first … first + len − 1`.
    pub reports: Vec<ReportRecord>,
}

impl TryFrom<&StreamEntry> for ReportsEntry {
    type Error = String;

    /// # Errors
    /// A message naming the entry and the rule it breaks.
    fn try_from(e: &StreamEntry) -> Result<Self, String> {
        let names: Vec<&[u8]> = e.fields.iter().map(|(n, _)| n.as_slice()).collect();
        if names != [&b"first"[..], b"count", b"records"] {
            return Err(format!("entry {}: fields are not first, count, records", e.id));
        }
        let (first, count) = (e.number("first")?, e.number("count")?);
        let records = e.field("records").unwrap_or_default();
        if !(1..=MAX_ENTRY_REPORTS as u64).contains(&count) || records.len() as u64 != count * 64 {
            return Err(format!("entry {}: count {count} with {} bytes of records", e.id, records.len()));
        }
        if parse_entry_id(&e.id) != Some(first + count - 1) {
            return Err(format!("entry {}: the ID is not <first + count - 1>-0", e.id));
        }
        let reports: Vec<ReportRecord> = records
            .chunks_exact(REPORT_RECORD_SIZE)
            .filter_map(|c| c.try_into().ok().map(report_from_bytes))
            .collect();
        if reports.iter().zip(first..).any(|(r, s)| r.seq != s) {
            return Err(format!("entry {}: record seqs are not first … first + count - 1", e.id));
        }
        Ok(ReportsEntry { first, reports })
    }
}

/// A `P:positions` entry, checked against the layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PositionsEntry {
    /// Seq of the last report folded in.
    pub as_of: u64,
    /// Every pair that has had a fill, sorted by (account, instrument).
    pub positions: Vec<Position>,
}

impl TryFrom<&StreamEntry> for PositionsEntry {
    type Error = String;

    /// # Errors
    /// A message naming the entry and the rule it breaks.
    fn try_from(e: &StreamEntry) -> Result<Self, String> {
        let names: Vec<&[u8]> = e.fields.iter().map(|(n, _)| n.as_slice()).collect();
        if names != [&b"as_of"[..], b"positions"] {
            return Err(format!("entry {}: fields are not as_of, positions", e.id));
        }
        let as_of = e.number("as_of")?;
        if parse_entry_id(&e.id) != Some(as_of) {
            return Err(format!("entry {}: the ID is not <as_of>-0", e.id));
        }
        let bytes = e.field("positions").unwrap_or_default();
        if bytes.len() % POSITION_RECORD_SIZE != 0 {
            return Err(format!("entry {}: {} bytes of positions", e.id, bytes.len()));
        }
        let positions: Vec<Position> = bytes
            .chunks_exact(POSITION_RECORD_SIZE)
            .filter_map(|c| c.try_into().ok().map(Position::from_bytes))
            .collect();
        Ok(PositionsEntry { as_of, positions })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resp::read_reply;

    fn report(seq: u64) -> ReportRecord {
        ReportRecord {
            seq,
            event_index: seq * 3,
            order_id: 7,
            price: -5,
            qty: 9,
            instrument: 2,
            account: 513,
            kind: 3,
            venue: 255,
            liquidity: 2,
            side: 1,
            ..Default::default()
        }
    }

    #[test]
    fn entry_ids_are_seq_dash_zero() {
        assert_eq!(entry_id(256), "256-0");
        assert_eq!(parse_entry_id("256-0"), Some(256));
        for bad in ["256-1", "256", "-0", "x-0", "+5-0", "1700000000000-3"] {
            assert_eq!(parse_entry_id(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_reports_entry_is_the_xadd_of_the_contract() {
        let reports: Vec<ReportRecord> = (5..=7).map(report).collect();
        let mut out = Vec::new();
        encode_reports_entry(&mut out, "p:reports", &reports);
        let mut expected = b"*9\r\n$4\r\nXADD\r\n$9\r\np:reports\r\n$3\r\n7-0\r\n$5\r\nfirst\r\n$1\r\n5\r\n\
$5\r\ncount\r\n$1\r\n3\r\n$7\r\nrecords\r\n$192\r\n"
            .to_vec();
        expected.extend_from_slice(records_as_bytes(&reports));
        expected.extend_from_slice(b"\r\n");
        assert_eq!(out, expected);
    }

    #[test]
    fn records_decode_from_unaligned_bytes() {
        let r = report(42);
        let mut bytes = vec![0u8];
        bytes.extend_from_slice(records_as_bytes(std::slice::from_ref(&r)));
        let chunk: &[u8; 64] = bytes[1..].try_into().expect("64 bytes");
        assert_eq!(report_from_bytes(chunk), r);
    }

    #[test]
    fn position_records_are_sixteen_little_endian_bytes() {
        let p = Position { account: 0x0102, instrument: 0x0304, position: -2 };
        let b = p.to_bytes();
        assert_eq!(b, [2, 1, 4, 3, 0, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
        assert_eq!(Position::from_bytes(&b), p);
    }

    /// An entry as written: its ID and its fields.
    type Written<'a> = (&'a str, Vec<(&'a str, Vec<u8>)>);

    /// What `XRANGE` answers for `entries`, fed through the RESP parser.
    fn read_back(entries: &[Written<'_>]) -> Vec<StreamEntry> {
        let mut wire = format!("*{}\r\n", entries.len()).into_bytes();
        for (id, fields) in entries {
            wire.extend_from_slice(
                format!("*2\r\n${}\r\n{id}\r\n*{}\r\n", id.len(), 2 * fields.len()).as_bytes(),
            );
            for (name, value) in fields {
                wire.extend_from_slice(
                    format!("${}\r\n{name}\r\n${}\r\n", name.len(), value.len()).as_bytes(),
                );
                wire.extend_from_slice(value);
                wire.extend_from_slice(b"\r\n");
            }
        }
        StreamEntry::list_from_reply(read_reply(&mut &wire[..]).expect("resp")).expect("entries")
    }

    #[test]
    fn entries_read_back_are_checked_against_the_layout() {
        let reports: Vec<ReportRecord> = (1..=2).map(report).collect();
        let good = read_back(&[(
            "2-0",
            vec![
                ("first", b"1".to_vec()),
                ("count", b"2".to_vec()),
                ("records", records_as_bytes(&reports).to_vec()),
            ],
        )]);
        assert_eq!(ReportsEntry::try_from(&good[0]), Ok(ReportsEntry { first: 1, reports: reports.clone() }));
        let wrong_id = read_back(&[(
            "3-0",
            vec![
                ("first", b"1".to_vec()),
                ("count", b"2".to_vec()),
                ("records", records_as_bytes(&reports).to_vec()),
            ],
        )]);
        assert!(ReportsEntry::try_from(&wrong_id[0]).expect_err("id").contains("ID"));
        let short = read_back(&[(
            "2-0",
            vec![("first", b"1".to_vec()), ("count", b"2".to_vec()), ("records", vec![0; 100])],
        )]);
        assert!(ReportsEntry::try_from(&short[0]).expect_err("size").contains("bytes"));

        let p = [
            Position { account: 1, instrument: 0, position: 5 },
            Position { account: 1, instrument: 3, position: 0 },
        ];
        let bytes: Vec<u8> = p.iter().flat_map(|p| p.to_bytes()).collect();
        let snap = read_back(&[("10-0", vec![("as_of", b"10".to_vec()), ("positions", bytes)])]);
        assert_eq!(
            PositionsEntry::try_from(&snap[0]),
            Ok(PositionsEntry { as_of: 10, positions: p.to_vec() })
        );
        let empty = read_back(&[("4-0", vec![("as_of", b"4".to_vec()), ("positions", Vec::new())])]);
        assert_eq!(PositionsEntry::try_from(&empty[0]).expect("empty").positions, []);
    }
}
