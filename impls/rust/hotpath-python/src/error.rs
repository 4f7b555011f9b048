//! The one bridge from Rust errors to Python exceptions.

use hotpath_board::BoardError;
use hotpath_core::CoreError;
use hotpath_dropcopy::DropCopyError;
use pyo3::exceptions::{PyConnectionError, PyOSError, PyValueError};
use pyo3::prelude::*;

pyo3::create_exception!(
    _native,
    FormatError,
    PyValueError,
    "A record file or buffer breaks docs/formats.md."
);
pyo3::create_exception!(
    _native,
    MetadataError,
    PyValueError,
    "Scenario metadata is not a usable configuration."
);

/// Adds the exception types to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("FormatError", m.py().get_type::<FormatError>())?;
    m.add("MetadataError", m.py().get_type::<MetadataError>())?;
    Ok(())
}

/// Converts a core error into the matching Python exception.
pub fn to_py(err: CoreError) -> PyErr {
    match err {
        CoreError::Io { .. } => PyOSError::new_err(err.to_string()),
        CoreError::Format(_) => FormatError::new_err(err.to_string()),
        CoreError::Metadata { .. } => MetadataError::new_err(err.to_string()),
        CoreError::Canary { .. } | CoreError::OutOfRange { .. } => PyValueError::new_err(err.to_string()),
    }
}

/// Converts a board error (an unknown instrument or board kind) into `ValueError`.
pub fn board_to_py(err: BoardError) -> PyErr {
    PyValueError::new_err(err.to_string())
}

/// Converts a drop-copy error: settings and streams it cannot use are `ValueError`; a
/// Redis that cannot be reached, or refuses or garbles a command, is `ConnectionError`.
pub fn dropcopy_to_py(err: DropCopyError) -> PyErr {
    match err {
        DropCopyError::Url { .. } | DropCopyError::Config { .. } | DropCopyError::Sequence { .. } => {
            PyValueError::new_err(err.to_string())
        }
        DropCopyError::Connection { .. } | DropCopyError::Server { .. } | DropCopyError::Protocol { .. } => {
            PyConnectionError::new_err(err.to_string())
        }
    }
}
