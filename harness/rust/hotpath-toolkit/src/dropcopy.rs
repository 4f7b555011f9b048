//! The drop-copy in the rust-native build (docs/dropcopy.md): the engine inside the paced
//! pass, its reports going to the pass's own vector and to the Rust publisher's feed.

use hotpath_bench::native::Pipeline;
use hotpath_core::engine::{Engine, ReportSink, StageProbe};
use hotpath_core::format::EventRecord;
use hotpath_dropcopy::{DropCopyStats, ReportFeed, StatValue, Tee};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// The engine with every report also handed to a drop-copy feed.
pub struct Copied<'a> {
    /// The engine.
    pub engine: &'a mut Engine,
    /// Where its reports are copied.
    pub feed: &'a mut ReportFeed,
}

impl Pipeline for Copied<'_> {
    #[inline]
    fn on_event<S: ReportSink, P: StageProbe>(
        &mut self,
        index: u64,
        ev: &EventRecord,
        sink: &mut S,
        probe: &mut P,
    ) {
        self.engine.on_event(index, ev, &mut Tee(sink, &mut *self.feed), probe);
    }
}

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
