//! The lab's native toolkit, registered as `hotpath_toolkit._native`: the scenario
//! generator (`hotpath-scenario`), the rust-native measuring loop (`hotpath-bench`, the
//! engine of `hotpath-core` called as a library), the HDR recorder and the noise probe.
//!
//! It is harness-side: builds never import it. The rust-ffi build is `hotpath_rs`
//! (`impls/rust/hotpath-python`), which depends on the core only. Logic lives in the pure
//! crates; this crate converts arguments, and maps errors in one place (`error.rs`).

use pyo3::prelude::*;

mod buffers;
mod dropcopy;
mod error;
mod jitter;
mod native;
mod readers;
mod recording;
mod region;
mod scenario;

/// The private extension module, re-exported by `hotpath_toolkit`.
#[pymodule]
#[pyo3(name = "_native")]
fn hotpath_toolkit_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("BUILD_PROFILE", build_profile())?;
    error::register(m)?;
    scenario::register(m)?;
    native::register(m)?;
    readers::register(m)?;
    m.add_function(wrap_pyfunction!(recording::record_timings, m)?)?;
    m.add_function(wrap_pyfunction!(recording::summarize_gaps, m)?)?;
    m.add_function(wrap_pyfunction!(jitter::measure_jitter, m)?)?;
    m.add_function(wrap_pyfunction!(region::counted_region, m)?)?;
    Ok(())
}

/// `release` or `debug`, so every result can say how its tools were built.
fn build_profile() -> &'static str {
    if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    }
}
