//! The one bridge from Rust errors to Python exceptions.

use hotpath_bench::BenchError;
use hotpath_core::CoreError;
use hotpath_scenario::ScenarioError;
use pyo3::exceptions::{PyOSError, PyValueError};
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
pyo3::create_exception!(
    _native,
    ScenarioConfigError,
    PyValueError,
    "A scenario config, scale or market stream the generator cannot use."
);

/// Adds the exception types to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("FormatError", m.py().get_type::<FormatError>())?;
    m.add("MetadataError", m.py().get_type::<MetadataError>())?;
    let scenario_error = m.py().get_type::<ScenarioConfigError>();
    // Class defaults of the attributes `scenario_to_py` sets on each instance.
    scenario_error.setattr("field", m.py().None())?;
    scenario_error.setattr("detail", "")?;
    m.add("ScenarioConfigError", scenario_error)?;
    Ok(())
}

/// Converts a core error into the matching Python exception.
pub fn to_py(err: CoreError) -> PyErr {
    match err {
        CoreError::Io { .. } => PyOSError::new_err(err.to_string()),
        CoreError::Format(_) => FormatError::new_err(err.to_string()),
        CoreError::Metadata { .. } => MetadataError::new_err(err.to_string()),
    }
}

/// Converts a measurement error into a Python `ValueError`.
pub fn bench_to_py(err: BenchError) -> PyErr {
    PyValueError::new_err(err.to_string())
}

/// Converts a generator error into `ScenarioConfigError`. A value that breaks a rule also
/// sets `field` (its path in the config JSON, e.g. `market.phases[2].ramp_ns`) and `detail`
/// (what is wrong), so the manifest loader can name the manifest key it came from.
pub fn scenario_to_py(err: ScenarioError) -> PyErr {
    let (field, detail) = match &err {
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
