//! The crate's one error type.

use thiserror::Error;

/// What a board refuses.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum BoardError {
    /// An instrument id the board has no slot for.
    #[error("instrument {instrument} is not on the board (it has {instruments} instruments)")]
    UnknownInstrument {
        /// The id asked for.
        instrument: usize,
        /// How many instruments the board holds (ids 0..instruments).
        instruments: usize,
    },
    /// A board kind name that is not one of [`BoardKind::NAMES`](crate::BoardKind::NAMES).
    #[error("unknown board kind {0:?}: choose epoch or mutex")]
    UnknownKind(String),
}

/// `Ok` if a board of `instruments` has a slot for `instrument`.
///
/// # Errors
/// [`BoardError::UnknownInstrument`] otherwise.
pub(crate) fn check_instrument(instrument: usize, instruments: usize) -> Result<(), BoardError> {
    if instrument < instruments {
        Ok(())
    } else {
        Err(BoardError::UnknownInstrument { instrument, instruments })
    }
}
