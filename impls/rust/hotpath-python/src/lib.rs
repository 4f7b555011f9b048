//! PyO3 bindings: registers the Rust engine, the native replay and the scenario
//! generator as `hotpath_rs._native`. Logic lives in the pure crates; this crate only
//! converts arguments and errors.

use pyo3::prelude::*;

mod buffers;
mod engine;
mod error;
mod jitter;
mod native;
mod recording;
mod scenario;

/// The private extension module, re-exported by `hotpath_rs`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("BUILD_PROFILE", build_profile())?;
    error::register(m)?;
    scenario::register(m)?;
    m.add_class::<engine::PyEngine>()?;
    native::register(m)?;
    m.add_function(wrap_pyfunction!(recording::record_timings, m)?)?;
    m.add_function(wrap_pyfunction!(jitter::measure_jitter, m)?)?;
    Ok(())
}

/// `release` or `debug`, so every result can say which build it measured.
fn build_profile() -> &'static str {
    if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    }
}
