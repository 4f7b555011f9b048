//! The rust-ffi build: PyO3 bindings that register the Rust engine (`hotpath-core`) as
//! `hotpath_rs._native`. Logic lives in the core; this crate only converts arguments and
//! errors. It depends on the core and nothing of the lab: the measuring loop, recorder,
//! noise probe and scenario generator are the lab's toolkit (`harness/rust/hotpath-toolkit`).

use pyo3::prelude::*;

mod board;
mod buffers;
mod concurrent;
mod contract;
mod desk;
mod dropcopy;
mod engine;
mod error;
mod replay;
mod session;

/// The private extension module, re-exported by `hotpath_rs`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("BUILD_PROFILE", build_profile())?;
    error::register(m)?;
    m.add_class::<engine::PyEngine>()?;
    m.add_class::<desk::PyRiskDesk>()?;
    m.add_function(wrap_pyfunction!(replay::replay, m)?)?;
    m.add_function(wrap_pyfunction!(contract::contract, m)?)?;
    m.add_function(wrap_pyfunction!(dropcopy::publish_drop_copy, m)?)?;
    m.add_class::<concurrent::PyDetachedEngine>()?;
    m.add_function(wrap_pyfunction!(concurrent::replay_threads, m)?)?;
    m.add_class::<board::PyBookBoard>()?;
    m.add_class::<board::PyBoardReader>()?;
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
