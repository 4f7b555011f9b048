//! The drop-copy in the rust-native build (docs/dropcopy.md): the pass's report log is the
//! drop-copy's shared log (`hotpath_dropcopy::start_with_log`, written into by the engine
//! inside `native_run`), so the publisher reads the engine's reports where they already
//! are. What is left here is the figures for Python.

use hotpath_dropcopy::{DropCopyStats, StatValue};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// The publisher figures as a dict (`error` is None or a message).
pub fn stats_dict<'py>(py: Python<'py>, stats: &DropCopyStats) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    for (name, value) in stats.figures() {
        match value {
            StatValue::Count(n) => out.set_item(name, n)?,
            StatValue::Seconds(s) => out.set_item(name, s)?,
            StatValue::Text(t) => out.set_item(name, t)?,
        }
    }
    Ok(out)
}
