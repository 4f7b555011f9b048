//! The crate's one error type and the one place it becomes a Python exception.

use hotpath_bench::BenchError;
use hotpath_board::BoardError;
use hotpath_core::CoreError;
use hotpath_dropcopy::DropCopyError;
use hotpath_scenario::ScenarioError;
use pyo3::exceptions::{PyConnectionError, PyOSError, PyValueError};
use pyo3::prelude::*;
use thiserror::Error;

pyo3::create_exception!(
    _native,
    ScenarioConfigError,
    PyValueError,
    "A scenario config, scale or market stream the generator cannot use."
);

/// Everything a toolkit call can fail with.
#[derive(Debug, Error)]
pub enum ToolkitError {
    /// Records, metadata or a file the core refuses.
    #[error(transparent)]
    Core(#[from] CoreError),
    /// A pacing spec, timing arrays or a histogram the measuring side refuses.
    #[error(transparent)]
    Bench(#[from] BenchError),
    /// A board kind or instrument the book board refuses.
    #[error(transparent)]
    Board(#[from] BoardError),
    /// A scenario config, scale or market stream the generator refuses.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// A drop-copy URL or setting refused, or a Redis that cannot be reached.
    #[error(transparent)]
    DropCopy(#[from] DropCopyError),
    /// A numpy array that cannot be read in place.
    #[error("{name}: {message}")]
    Buffer {
        /// Which argument.
        name: &'static str,
        /// Why (not contiguous, wrong length).
        message: String,
    },
    /// An argument outside its range.
    #[error("{0}")]
    Argument(String),
    /// Python itself failed while the result was being built.
    #[error(transparent)]
    Python(#[from] PyErr),
}

impl From<ToolkitError> for PyErr {
    fn from(err: ToolkitError) -> PyErr {
        match err {
            ToolkitError::Python(e) => e,
            ToolkitError::Core(CoreError::Io { .. }) => PyOSError::new_err(err.to_string()),
            ToolkitError::Scenario(e) => scenario_config_error(&e),
            ToolkitError::DropCopy(
                DropCopyError::Connection { .. }
                | DropCopyError::Server { .. }
                | DropCopyError::Protocol { .. },
            ) => PyConnectionError::new_err(err.to_string()),
            ToolkitError::Core(_)
            | ToolkitError::Bench(_)
            | ToolkitError::Board(_)
            | ToolkitError::DropCopy(_)
            | ToolkitError::Buffer { .. }
            | ToolkitError::Argument(_) => PyValueError::new_err(err.to_string()),
        }
    }
}

/// `ScenarioConfigError`; a value that breaks a rule also sets `field` (its path in the
/// config JSON, e.g. `market.phases[2].ramp_ns`) and `detail` (what is wrong), so the
/// manifest loader can name the manifest key the value came from.
fn scenario_config_error(err: &ScenarioError) -> PyErr {
    let (field, detail) = match err {
        ScenarioError::Config { field, message } => (Some(field.clone()), message.clone()),
        other => (None, other.to_string()),
    };
    let py_err = ScenarioConfigError::new_err(err.to_string());
    let failed = Python::attach(|py| {
        let value = py_err.value(py);
        value.setattr("field", field).and_then(|()| value.setattr("detail", detail)).err()
    });
    failed.unwrap_or(py_err)
}

/// Adds the exception types to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let scenario_error = m.py().get_type::<ScenarioConfigError>();
    // Class defaults of the attributes `scenario_config_error` sets on each instance.
    scenario_error.setattr("field", m.py().None())?;
    scenario_error.setattr("detail", "")?;
    m.add("ScenarioConfigError", scenario_error)?;
    Ok(())
}
