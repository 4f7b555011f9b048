//! Zero-copy views: a byte buffer (a mapped file, a numpy array) seen as a record slice.
//!
//! This is the one module of the crate that needs `unsafe`: reinterpreting bytes as
//! records. It is sound because both record types are `#[repr(C)]`, contain only integer
//! fields with no implicit padding (so every bit pattern is a valid value), and the views
//! check length and alignment before casting.
#![allow(unsafe_code)]

use std::path::Path;

use memmap2::Mmap;

use super::header::{FileHeader, FileKind, HEADER_SIZE};
use super::meta::ScenarioMeta;
use super::records::{EventKind, EventRecord, ReportRecord};
use crate::error::{CoreError, FormatError};

/// A record type that may be viewed in place over bytes.
///
/// Implemented only for the two records of this crate, whose layouts make every bit
/// pattern valid.
pub trait Record: Copy + sealed::Sealed {
    /// The kind of file that holds these records.
    const FILE_KIND: FileKind;
}
impl Record for EventRecord {
    const FILE_KIND: FileKind = FileKind::Events;
}
impl Record for ReportRecord {
    const FILE_KIND: FileKind = FileKind::Reports;
}
mod sealed {
    pub trait Sealed {}
    impl Sealed for super::EventRecord {}
    impl Sealed for super::ReportRecord {}
}

/// Views `bytes` as a slice of `R` without copying.
///
/// # Errors
/// [`FormatError::Layout`] if the length is not a whole number of records or the buffer is
/// not 8-byte aligned.
pub fn records_from_bytes<'a, R: Record>(name: &str, bytes: &'a [u8]) -> Result<&'a [R], FormatError> {
    let size = std::mem::size_of::<R>();
    if bytes.len() % size != 0 {
        return Err(FormatError::Layout {
            file: name.to_owned(),
            message: format!("{} bytes is not a whole number of {size}-byte records", bytes.len()),
        });
    }
    if bytes.is_empty() {
        // an empty buffer's pointer may be anything (numpy gives a 1-byte block): no records
        return Ok(&[]);
    }
    if bytes.as_ptr().align_offset(std::mem::align_of::<R>()) != 0 {
        return Err(FormatError::Layout {
            file: name.to_owned(),
            message: format!("buffer is not {}-byte aligned", std::mem::align_of::<R>()),
        });
    }
    debug_assert_eq!(bytes.len() % size, 0);
    // SAFETY: the pointer is aligned for `R` and the length is a whole number of records
    // (both checked above); `R` is a sealed `#[repr(C)]` record of integers without
    // padding, so any byte pattern is a valid `R`; the returned slice borrows `bytes`, so
    // it cannot outlive or alias a mutable use of the buffer.
    Ok(unsafe { std::slice::from_raw_parts(bytes.as_ptr().cast::<R>(), bytes.len() / size) })
}

/// [`records_from_bytes`] for events.
///
/// # Errors
/// See [`records_from_bytes`].
pub fn events_from_bytes<'a>(name: &str, bytes: &'a [u8]) -> Result<&'a [EventRecord], FormatError> {
    records_from_bytes(name, bytes)
}

/// [`records_from_bytes`] for reports.
///
/// # Errors
/// See [`records_from_bytes`].
pub fn reports_from_bytes<'a>(name: &str, bytes: &'a [u8]) -> Result<&'a [ReportRecord], FormatError> {
    records_from_bytes(name, bytes)
}

/// The bytes of a record slice, as written to a file or digested.
pub fn records_as_bytes<R: Record>(records: &[R]) -> &[u8] {
    // SAFETY: `R` has no padding bytes (every byte of it is an initialised integer byte),
    // so its memory may be read as `u8`; the length is the slice's size in bytes and the
    // result borrows `records`.
    unsafe { std::slice::from_raw_parts(records.as_ptr().cast::<u8>(), std::mem::size_of_val(records)) }
}

/// A whole record file checked and split into header, metadata bytes and records.
#[derive(Debug)]
pub struct ParsedFile<'a, R> {
    /// The fixed header.
    pub header: FileHeader,
    /// The raw metadata JSON.
    pub metadata: &'a [u8],
    /// The records, viewed in place.
    pub records: &'a [R],
}

/// Checks a complete file image and views its records in place.
///
/// # Errors
/// [`FormatError`] for a bad header, a length that disagrees with the header, a misaligned
/// buffer, and (for events) an unknown kind or a timestamp going backwards.
pub fn parse_file<'a, R: Record>(name: &str, bytes: &'a [u8]) -> Result<ParsedFile<'a, R>, FormatError> {
    let header = FileHeader::parse(name, bytes, R::FILE_KIND)?;
    let size = std::mem::size_of::<R>() as u64;
    let len = bytes.len() as u64;
    let expected =
        header.record_count.checked_mul(size).and_then(|n| n.checked_add(header.data_offset)).ok_or_else(
            || FormatError::Header {
                file: name.to_owned(),
                offset: 16,
                message: format!("record count {} is impossibly large", header.record_count),
            },
        )?;
    if len < expected {
        let whole = len.saturating_sub(header.data_offset) / size;
        return Err(FormatError::Length {
            file: name.to_owned(),
            message: format!(
                "truncated: file ends at byte offset {len} but its header declares {} records ending at {expected}; {whole} whole records are present",
                header.record_count
            ),
        });
    }
    if len > expected {
        return Err(FormatError::Length {
            file: name.to_owned(),
            message: format!(
                "{} trailing bytes after the last record, which ends at byte offset {expected}",
                len - expected
            ),
        });
    }
    let meta_end = HEADER_SIZE + header.metadata_len as usize;
    let metadata = &bytes[HEADER_SIZE..meta_end];
    let records = records_from_bytes(name, &bytes[header.data_offset as usize..])?;
    Ok(ParsedFile { header, metadata, records })
}

/// Checks every event's kind and that timestamps never go backwards.
///
/// # Errors
/// [`FormatError::Record`] for the first bad record, with its index and byte offset.
pub fn check_events(name: &str, data_offset: u64, events: &[EventRecord]) -> Result<(), FormatError> {
    let mut prev_ts = 0u64;
    for (i, e) in events.iter().enumerate() {
        let err = |message: String| FormatError::Record {
            file: name.to_owned(),
            index: i as u64,
            offset: data_offset + i as u64 * std::mem::size_of::<EventRecord>() as u64,
            message,
        };
        if EventKind::from_u8(e.kind).is_none() {
            return Err(err(format!("unknown event kind {}", e.kind)));
        }
        if e.ts < prev_ts {
            return Err(err(format!("timestamp {} is before the previous record's {prev_ts}", e.ts)));
        }
        prev_ts = e.ts;
    }
    Ok(())
}

/// The kind rule of [`check_events`] on records that come from memory rather than a file
/// (the Python API's buffers and events): a record whose kind is not an event kind is
/// refused, as the file reader and the wire decoder refuse it, instead of being ignored.
///
/// # Errors
/// [`FormatError::Record`] for the first record of an unknown kind, with its index and its
/// byte offset in `events`.
pub fn check_kinds(name: &str, events: &[EventRecord]) -> Result<(), FormatError> {
    match events.iter().position(|e| EventKind::from_u8(e.kind).is_none()) {
        None => Ok(()),
        Some(i) => Err(FormatError::Record {
            file: name.to_owned(),
            index: i as u64,
            offset: (i * std::mem::size_of::<EventRecord>()) as u64,
            message: format!("unknown event kind {}", events[i].kind),
        }),
    }
}

/// A memory-mapped, fully checked scenario file.
pub struct EventFile {
    path: String,
    map: Mmap,
    header: FileHeader,
    meta: ScenarioMeta,
}

impl EventFile {
    /// Maps and checks a scenario file (header, length, metadata, every record).
    ///
    /// # Errors
    /// [`CoreError::Io`] if it cannot be opened or mapped, [`CoreError::Format`] or
    /// [`CoreError::Metadata`] if its contents are invalid.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, CoreError> {
        let path_str = path.as_ref().display().to_string();
        let map = map_file(path.as_ref(), &path_str)?;
        let parsed = parse_file::<EventRecord>(&path_str, &map)?;
        let meta = ScenarioMeta::from_json(&path_str, parsed.metadata)?;
        check_events(&path_str, parsed.header.data_offset, parsed.records)?;
        let header = parsed.header;
        Ok(EventFile { path: path_str, map, header, meta })
    }

    /// The events, viewed in place over the mapping.
    pub fn events(&self) -> &[EventRecord] {
        // `open` checked the header, length and alignment of this immutable mapping, so
        // the view cannot fail; an empty slice rather than a panic if it somehow did.
        events_from_bytes(&self.path, &self.map[self.header.data_offset as usize..]).unwrap_or(&[])
    }

    /// The scenario metadata.
    pub fn meta(&self) -> &ScenarioMeta {
        &self.meta
    }

    /// The fixed header.
    pub fn header(&self) -> &FileHeader {
        &self.header
    }

    /// The whole file's bytes (for digesting).
    pub fn bytes(&self) -> &[u8] {
        &self.map
    }

    /// The path it was opened from.
    pub fn path(&self) -> &str {
        &self.path
    }
}

/// A memory-mapped, checked report file.
pub struct ReportFile {
    path: String,
    map: Mmap,
}

impl ReportFile {
    /// Maps and checks a report file.
    ///
    /// # Errors
    /// As [`EventFile::open`].
    pub fn open(path: impl AsRef<Path>) -> Result<Self, CoreError> {
        let path_str = path.as_ref().display().to_string();
        let map = map_file(path.as_ref(), &path_str)?;
        parse_file::<ReportRecord>(&path_str, &map)?;
        Ok(ReportFile { path: path_str, map })
    }

    /// The reports, viewed in place.
    pub fn reports(&self) -> &[ReportRecord] {
        parse_file::<ReportRecord>(&self.path, &self.map).map(|p| p.records).unwrap_or(&[])
    }
}

fn map_file(path: &Path, name: &str) -> Result<Mmap, CoreError> {
    let io = |source| CoreError::Io { file: name.to_owned(), source };
    // opening a FIFO for reading waits for a writer, forever if none comes: what is not a
    // regular file is refused before it is opened (as `hotpath_format.files.open_regular`)
    let kind = std::fs::metadata(path).map_err(io)?.file_type();
    if !kind.is_file() {
        let message = format!("is {}, not a regular file", file_kind(kind));
        return Err(io(std::io::Error::new(std::io::ErrorKind::InvalidInput, message)));
    }
    let file = std::fs::File::open(path).map_err(io)?;
    // SAFETY: the mapping is read-only and the lab never modifies a scenario or report
    // file in place (writers create a new file and rename it over the old one), so the
    // mapped bytes do not change while they are borrowed.
    unsafe { Mmap::map(&file) }.map_err(io)
}

fn file_kind(kind: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_dir() {
        "a directory"
    } else if kind.is_fifo() {
        "a FIFO"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_or_device_is_refused_saying_what_it_is() {
        for (path, kind) in [("/tmp", "a directory"), ("/dev/null", "a character device")] {
            let e = EventFile::open(path).err().expect(path).to_string();
            assert!(e.starts_with(path) && e.contains(&format!("is {kind}, not a regular file")), "{e}");
        }
    }

    /// An 8-byte aligned buffer, as a mapped file or numpy array would be.
    fn aligned(bytes: &[u8]) -> Vec<u64> {
        let mut words = vec![0u64; bytes.len().div_ceil(8)];
        for (i, b) in bytes.iter().enumerate() {
            words[i / 8] |= u64::from(*b) << ((i % 8) * 8);
        }
        words
    }

    fn as_bytes(words: &[u64], len: usize) -> &[u8] {
        &records_as_bytes_u64(words)[..len]
    }

    fn records_as_bytes_u64(words: &[u64]) -> &[u8] {
        // SAFETY: u64 has no padding and any u64 memory may be read as bytes.
        unsafe { std::slice::from_raw_parts(words.as_ptr().cast::<u8>(), words.len() * 8) }
    }

    fn file_image(events: &[EventRecord]) -> Vec<u8> {
        let meta = br#"{"schema":1}"#;
        let data_offset = FileHeader::data_offset_for(meta.len());
        let h = FileHeader {
            kind: FileKind::Events,
            data_offset,
            record_count: events.len() as u64,
            metadata_len: meta.len() as u32,
        };
        let mut out = h.to_bytes().to_vec();
        out.extend_from_slice(meta);
        out.resize(data_offset as usize, 0);
        out.extend_from_slice(records_as_bytes(events));
        out
    }

    fn ev(ts: u64, kind: u8) -> EventRecord {
        EventRecord { ts, kind, ..Default::default() }
    }

    #[test]
    fn views_a_file_image_in_place() {
        let image = file_image(&[ev(1, 1), ev(2, 3)]);
        let words = aligned(&image);
        let bytes = as_bytes(&words, image.len());
        let p = parse_file::<EventRecord>("img", bytes).expect("valid image");
        assert_eq!(p.records.len(), 2);
        assert_eq!(p.records[1].kind, 3);
        assert_eq!(p.metadata, br#"{"schema":1}"#);
        assert_eq!(
            p.records.as_ptr().cast::<u8>(),
            bytes[p.header.data_offset as usize..].as_ptr(),
            "no copy"
        );
    }

    #[test]
    fn an_empty_buffer_is_no_records_wherever_it_points() {
        let words = [0u64; 16];
        let bytes = records_as_bytes_u64(&words);
        assert!(events_from_bytes("empty", &bytes[1..1]).expect("empty is valid").is_empty());
        let size = std::mem::size_of::<EventRecord>();
        let e = events_from_bytes("m", &bytes[1..=size]).expect_err("misaligned");
        assert!(e.to_string().contains("aligned"), "{e}");
    }

    #[test]
    fn truncated_and_overlong_files_name_offsets_and_counts() {
        let image = file_image(&[ev(1, 1), ev(2, 2)]);
        let words = aligned(&image);
        let short = as_bytes(&words, image.len() - 5);
        let e = parse_file::<EventRecord>("t.hpe", short).expect_err("truncated");
        let msg = e.to_string();
        assert!(msg.contains("truncated") && msg.contains("1 whole records"), "{msg}");
        let mut long = image.clone();
        long.extend_from_slice(&[0; 8]);
        let words = aligned(&long);
        let e = parse_file::<EventRecord>("t.hpe", as_bytes(&words, long.len())).expect_err("trailing");
        assert!(e.to_string().contains("8 trailing bytes"), "{e}");
    }

    #[test]
    fn unknown_kind_and_backwards_time_name_the_record() {
        let e = check_events("f", 128, &[ev(5, 1), ev(6, 9)]).expect_err("kind");
        assert_eq!(
            e,
            FormatError::Record {
                file: "f".into(),
                index: 1,
                offset: 176,
                message: "unknown event kind 9".into()
            }
        );
        let e = check_events("f", 128, &[ev(5, 1), ev(6, 2), ev(4, 2)]).expect_err("time");
        assert!(matches!(e, FormatError::Record { index: 2, offset: 224, .. }), "{e:?}");
        assert!(check_events("f", 128, &[ev(5, 1), ev(5, 2)]).is_ok(), "equal timestamps are fine");
    }

    #[test]
    fn misaligned_or_ragged_buffers_are_refused() {
        let words = vec![0u64; 13];
        let bytes = records_as_bytes_u64(&words);
        assert!(events_from_bytes("b", &bytes[..48]).is_ok());
        assert!(matches!(events_from_bytes("b", &bytes[1..49]), Err(FormatError::Layout { .. })));
        assert!(matches!(events_from_bytes("b", &bytes[..47]), Err(FormatError::Layout { .. })));
        assert!(matches!(reports_from_bytes("b", &bytes[..48]), Err(FormatError::Layout { .. })));
    }

    proptest::proptest! {
        /// Hostile bytes: any buffer, any length, any offset — never a panic, only errors.
        #[test]
        fn arbitrary_bytes_never_panic(data in proptest::collection::vec(proptest::num::u8::ANY, 0..600), skip in 0usize..8) {
            let words = aligned(&data);
            let bytes = as_bytes(&words, data.len());
            let bytes = &bytes[skip.min(bytes.len())..];
            let _ = parse_file::<EventRecord>("fuzz", bytes).map(|p| check_events("fuzz", p.header.data_offset, p.records));
            let _ = parse_file::<ReportRecord>("fuzz", bytes);
            let _ = events_from_bytes("fuzz", bytes);
        }

        /// A valid header followed by hostile record bytes views or errors, never panics.
        #[test]
        fn valid_header_with_hostile_records(recs in proptest::collection::vec(proptest::num::u8::ANY, 0..480)) {
            let mut image = file_image(&[]);
            let count = recs.len() / 48;
            image[16..24].copy_from_slice(&(count as u64).to_le_bytes());
            image.extend_from_slice(&recs);
            let words = aligned(&image);
            let bytes = as_bytes(&words, image.len());
            match parse_file::<EventRecord>("fuzz", bytes) {
                Ok(p) => { let _ = check_events("fuzz", p.header.data_offset, p.records); }
                Err(e) => proptest::prop_assert!(recs.len() % 48 != 0, "unexpected {e}"),
            }
        }
    }
}
