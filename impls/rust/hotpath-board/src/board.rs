//! The interface every board offers: one writer publishes, any number of readers copy.

use std::str::FromStr;

use crate::count::SnapshotMemory;
use crate::error::{check_instrument, BoardError};
use crate::sync::Arc;
use crate::top::TopOfBook;

/// A board of the newest [`TopOfBook`] per instrument, shared in an `Arc` by the thread
/// that publishes and the threads that read. Each thread works through its own handle
/// ([`writer`](Board::writer), [`reader`](Board::reader)), created on the thread that uses
/// it: the epoch board registers each handle with its collector.
pub trait Board: Send + Sync + Sized + 'static {
    /// The publishing handle.
    type Writer: BoardWriter;
    /// A reading handle.
    type Reader: BoardReader;

    /// A board for instruments `0..instruments`, nothing published.
    fn new(instruments: usize) -> Self;

    /// The publishing handle. One writer at a time: `seq` grows per instrument only if one
    /// thread publishes.
    fn writer(board: &Arc<Self>) -> Self::Writer;

    /// A reading handle for the calling thread.
    fn reader(board: &Arc<Self>) -> Self::Reader;

    /// Number of instruments (ids `0..instruments`).
    fn instruments(&self) -> usize;

    /// What the board's snapshots cost in memory so far.
    fn memory(&self) -> SnapshotMemory;
}

/// Publishes new tops of book.
pub trait BoardWriter {
    /// Makes `top` the newest top of book of `instrument` for every reader.
    ///
    /// # Errors
    /// [`BoardError::UnknownInstrument`] if the board has no slot for `instrument`.
    fn publish(&mut self, instrument: usize, top: TopOfBook) -> Result<(), BoardError>;
}

/// Reads tops of book.
pub trait BoardReader {
    /// A copy of the newest top of book of `instrument`; `None` before the first publication
    /// or for an instrument the board does not have.
    fn top(&mut self, instrument: usize) -> Option<TopOfBook>;

    /// Number of instruments of the board read.
    fn instruments(&self) -> usize;

    /// [`top`](Self::top), refusing an instrument the board does not have.
    ///
    /// # Errors
    /// [`BoardError::UnknownInstrument`] for such an instrument.
    fn checked_top(&mut self, instrument: usize) -> Result<Option<TopOfBook>, BoardError> {
        check_instrument(instrument, self.instruments())?;
        Ok(self.top(instrument))
    }
}

/// Which board: the one name each kind has in results, on the command line and in Python.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BoardKind {
    /// [`EpochBoard`](crate::EpochBoard).
    Epoch,
    /// [`MutexBoard`](crate::MutexBoard).
    Mutex,
}

impl BoardKind {
    /// Every kind's name, in report order.
    pub const NAMES: [&'static str; 2] = ["epoch", "mutex"];

    /// The kind's name.
    pub const fn name(self) -> &'static str {
        match self {
            BoardKind::Epoch => "epoch",
            BoardKind::Mutex => "mutex",
        }
    }
}

impl FromStr for BoardKind {
    type Err = BoardError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "epoch" => Ok(BoardKind::Epoch),
            "mutex" => Ok(BoardKind::Mutex),
            other => Err(BoardError::UnknownKind(other.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_from_their_names_and_nothing_else() {
        for name in BoardKind::NAMES {
            assert_eq!(name.parse::<BoardKind>().map(BoardKind::name), Ok(name));
        }
        assert_eq!("Epoch".parse::<BoardKind>(), Err(BoardError::UnknownKind("Epoch".into())));
    }
}
