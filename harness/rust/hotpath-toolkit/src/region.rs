//! `counted_region(f)`: calls `f` inside a function the regression gate's callgrind run
//! switches its counting on for (`--toggle-collect=*hotpath_gate_region*`), so only the
//! work `f` does is counted, not interpreter start-up, imports or warm-up (`docs/gate.md`).

use pyo3::prelude::*;

/// Calls `f()` and returns its result. Outside valgrind this is an ordinary call.
#[pyfunction]
pub fn counted_region(f: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    hotpath_gate_region(f)
}

/// The frame callgrind toggles on; its name is the contract with `hotpath_lab.gate.det`.
#[inline(never)]
fn hotpath_gate_region(f: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    f.call0().map(Bound::unbind)
}
