//! The crate's one error type.

use thiserror::Error;

/// Everything that can go wrong in `hotpath-core`: reading files and building an engine.
/// The pipeline itself never fails: bad requests become `REJECT` reports.
#[derive(Debug, Error)]
pub enum CoreError {
    /// A file could not be opened or mapped.
    #[error("{file}: {source}")]
    Io {
        /// Path of the file.
        file: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The bytes are not a valid record file.
    #[error(transparent)]
    Format(#[from] FormatError),
    /// The scenario metadata is well-formed JSON but not a usable configuration.
    #[error("{file}: metadata: {message}")]
    Metadata {
        /// Path of the file (or `<metadata>`).
        file: String,
        /// What is wrong, naming the field.
        message: String,
    },
    /// An argument of the risk desk names an account, instrument or venue the scenario does
    /// not have.
    #[error("{what} {value} is out of range: the scenario has {count}")]
    OutOfRange {
        /// What the argument names.
        what: &'static str,
        /// The value given.
        value: u64,
        /// How many the scenario has.
        count: usize,
    },
    /// `HOTPATH_CANARY` holds something other than `off`, `uniform` or `tail`.
    #[error("HOTPATH_CANARY={value:?}: expected off, uniform or tail (docs/gate.md)")]
    Canary {
        /// The value found.
        value: String,
    },
}

/// A record file that breaks `docs/formats.md`, with the place where it breaks.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum FormatError {
    /// The fixed header or the metadata block is wrong.
    #[error("{file}: at byte offset {offset}: {message}")]
    Header {
        /// Path of the file, or `<buffer>`.
        file: String,
        /// Byte offset of the offending field.
        offset: u64,
        /// What is wrong.
        message: String,
    },
    /// The file holds fewer or more bytes than its header declares.
    #[error("{file}: {message}")]
    Length {
        /// Path of the file, or `<buffer>`.
        file: String,
        /// What is wrong, with offsets and record counts.
        message: String,
    },
    /// One record is invalid.
    #[error("{file}: record {index} (byte offset {offset}): {message}")]
    Record {
        /// Path of the file, or `<buffer>`.
        file: String,
        /// 0-based record index.
        index: u64,
        /// Byte offset of the record in the file.
        offset: u64,
        /// What is wrong.
        message: String,
    },
    /// A byte buffer cannot be viewed as records in place.
    #[error("{file}: {message}")]
    Layout {
        /// Name of the buffer.
        file: String,
        /// Length or alignment problem.
        message: String,
    },
}
