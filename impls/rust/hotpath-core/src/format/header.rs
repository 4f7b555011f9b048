//! The 64-byte file header that precedes the metadata and the records.

use super::records::{EVENT_RECORD_SIZE, REPORT_RECORD_SIZE};
use crate::error::FormatError;

/// Size of the fixed header; the metadata JSON starts right after it.
pub const HEADER_SIZE: usize = 64;
/// Format version this crate reads and writes.
pub const FORMAT_VERSION: u16 = 1;

/// Which of the two record files a header announces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// A scenario: [`super::EventRecord`]s.
    Events,
    /// An execution-report stream: [`super::ReportRecord`]s.
    Reports,
}

impl FileKind {
    /// The 8 magic bytes at offset 0.
    pub const fn magic(self) -> &'static [u8; 8] {
        match self {
            FileKind::Events => b"HPEVENT\0",
            FileKind::Reports => b"HPREPRT\0",
        }
    }

    /// Size of one record in files of this kind.
    pub const fn record_size(self) -> usize {
        match self {
            FileKind::Events => EVENT_RECORD_SIZE,
            FileKind::Reports => REPORT_RECORD_SIZE,
        }
    }
}

/// The decoded fixed header of a record file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileHeader {
    /// Events or reports.
    pub kind: FileKind,
    /// Byte offset of the first record (a multiple of 64).
    pub data_offset: u64,
    /// Number of records the file declares.
    pub record_count: u64,
    /// Length of the JSON metadata that starts at offset 64.
    pub metadata_len: u32,
}

impl FileHeader {
    /// Parses and checks the header of a file expected to be of `kind`.
    ///
    /// `name` is used in error messages only (a path, or `<buffer>`).
    ///
    /// # Errors
    /// A [`FormatError`] naming the byte offset of the first field that is wrong.
    pub fn parse(name: &str, bytes: &[u8], kind: FileKind) -> Result<Self, FormatError> {
        let err =
            |offset: u64, message: String| FormatError::Header { file: name.to_owned(), offset, message };
        if bytes.len() < HEADER_SIZE {
            return Err(err(
                0,
                format!("file is {} bytes, shorter than the {HEADER_SIZE}-byte header", bytes.len()),
            ));
        }
        if &bytes[0..8] != kind.magic() {
            let other = match kind {
                FileKind::Events => FileKind::Reports,
                FileKind::Reports => FileKind::Events,
            };
            let hint = if &bytes[0..8] == other.magic() {
                format!(" (this is a {other:?} file)")
            } else {
                String::new()
            };
            return Err(err(
                0,
                format!("bad magic {:?}, expected {:?}{hint}", escape(&bytes[0..8]), escape(kind.magic())),
            ));
        }
        let version = u16::from_le_bytes([bytes[8], bytes[9]]);
        if version != FORMAT_VERSION {
            return Err(err(
                8,
                format!("unsupported format version {version}, this build reads {FORMAT_VERSION}"),
            ));
        }
        let record_size = usize::from(u16::from_le_bytes([bytes[10], bytes[11]]));
        if record_size != kind.record_size() {
            return Err(err(
                10,
                format!("record size {record_size}, expected {} for {kind:?}", kind.record_size()),
            ));
        }
        let data_offset = u64::from(u32::from_le_bytes(le4(&bytes[12..16])));
        let record_count = u64::from_le_bytes(le8(&bytes[16..24]));
        let metadata_len = u32::from_le_bytes(le4(&bytes[24..28]));
        let expected_offset = (HEADER_SIZE as u64 + u64::from(metadata_len)).div_ceil(64) * 64;
        if data_offset != expected_offset {
            return Err(err(
                12,
                format!("data offset {data_offset} inconsistent with metadata length {metadata_len} (expected {expected_offset})"),
            ));
        }
        Ok(FileHeader { kind, data_offset, record_count, metadata_len })
    }

    /// Encodes the header (used by tests and tools that build files).
    pub fn to_bytes(&self) -> [u8; HEADER_SIZE] {
        let mut out = [0u8; HEADER_SIZE];
        out[0..8].copy_from_slice(self.kind.magic());
        out[8..10].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
        let record_size = u16::try_from(self.kind.record_size()).unwrap_or(u16::MAX);
        out[10..12].copy_from_slice(&record_size.to_le_bytes());
        let data_offset = u32::try_from(self.data_offset).unwrap_or(u32::MAX);
        out[12..16].copy_from_slice(&data_offset.to_le_bytes());
        out[16..24].copy_from_slice(&self.record_count.to_le_bytes());
        out[24..28].copy_from_slice(&self.metadata_len.to_le_bytes());
        out
    }

    /// The data offset a file with `metadata_len` bytes of metadata must use.
    pub fn data_offset_for(metadata_len: usize) -> u64 {
        (HEADER_SIZE as u64 + metadata_len as u64).div_ceil(64) * 64
    }
}

fn le4(b: &[u8]) -> [u8; 4] {
    let mut a = [0u8; 4];
    a.copy_from_slice(b);
    a
}

fn le8(b: &[u8]) -> [u8; 8] {
    let mut a = [0u8; 8];
    a.copy_from_slice(b);
    a
}

fn escape(b: &[u8]) -> String {
    b.iter().flat_map(|c| std::ascii::escape_default(*c)).map(char::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header_bytes() -> Vec<u8> {
        FileHeader { kind: FileKind::Events, data_offset: 128, record_count: 3, metadata_len: 10 }
            .to_bytes()
            .to_vec()
    }

    #[test]
    fn round_trips() {
        let h = FileHeader::parse("x", &header_bytes(), FileKind::Events).expect("valid header");
        assert_eq!(h.record_count, 3);
        assert_eq!(h.data_offset, 128);
    }

    #[test]
    fn names_the_offset_of_each_bad_field() {
        let cases: [(usize, u8, u64); 4] = [(0, b'X', 0), (8, 9, 8), (10, 50, 10), (12, 0, 12)];
        for (at, value, offset) in cases {
            let mut b = header_bytes();
            b[at] = value;
            match FileHeader::parse("f.hpe", &b, FileKind::Events) {
                Err(FormatError::Header { offset: o, file, .. }) => {
                    assert_eq!(o, offset, "byte {at}");
                    assert_eq!(file, "f.hpe");
                }
                other => panic!("byte {at}: expected header error, got {other:?}"),
            }
        }
    }

    #[test]
    fn short_input_and_wrong_kind_are_errors() {
        assert!(FileHeader::parse("x", &[0u8; 10], FileKind::Events).is_err());
        let e = FileHeader::parse("x", &header_bytes(), FileKind::Reports).expect_err("wrong kind");
        assert!(e.to_string().contains("Events file"), "{e}");
    }
}
