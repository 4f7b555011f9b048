//! Per-event timestamp arrays, allocated before a timed pass so the pass itself never
//! allocates or records into a histogram. The end-of-stage stamps are written by
//! `hotpath_core::stamps::StampProbe`, the probe the builds use.

use hotpath_core::resident::resident_zeroed;

use crate::error::BenchError;

/// Absolute `CLOCK_MONOTONIC` ns per event; 0 means "did not happen" (for example no risk
/// stamp for a request rejected in validation).
#[derive(Clone, Debug, Default)]
pub struct EventTimes {
    /// When the event should have been dispatched (pacing).
    pub intended: Vec<u64>,
    /// When the driver actually handed it to the pipeline.
    pub start: Vec<u64>,
    /// When the pipeline had produced all of its reports.
    pub end: Vec<u64>,
    /// End of the validation stage (order requests).
    pub validated: Vec<u64>,
    /// End of the risk stage.
    pub risked: Vec<u64>,
    /// End of the execution stage.
    pub executed: Vec<u64>,
}

impl EventTimes {
    /// Zeroed arrays for `n` events, touched once so the pages are resident before timing.
    pub fn with_len(n: usize) -> Self {
        let z = || resident_zeroed(n);
        EventTimes { intended: z(), start: z(), end: z(), validated: z(), risked: z(), executed: z() }
    }

    /// Borrowed view of the arrays.
    pub fn view(&self) -> TimesView<'_> {
        TimesView {
            intended: &self.intended,
            start: &self.start,
            end: &self.end,
            validated: &self.validated,
            risked: &self.risked,
            executed: &self.executed,
        }
    }

    /// Bytes held by the arrays (reported so the harness's share of RSS is known).
    pub fn bytes(&self) -> usize {
        6 * self.intended.len() * std::mem::size_of::<u64>()
    }
}

/// Borrowed timing arrays, for example numpy arrays handed over from Python.
#[derive(Clone, Copy, Debug)]
pub struct TimesView<'a> {
    /// See [`EventTimes::intended`].
    pub intended: &'a [u64],
    /// See [`EventTimes::start`].
    pub start: &'a [u64],
    /// See [`EventTimes::end`].
    pub end: &'a [u64],
    /// See [`EventTimes::validated`].
    pub validated: &'a [u64],
    /// See [`EventTimes::risked`].
    pub risked: &'a [u64],
    /// See [`EventTimes::executed`].
    pub executed: &'a [u64],
}

impl TimesView<'_> {
    /// Number of events.
    pub fn len(&self) -> usize {
        self.intended.len()
    }

    /// Whether there are no events.
    pub fn is_empty(&self) -> bool {
        self.intended.is_empty()
    }

    /// Checks every array has `n` entries.
    ///
    /// # Errors
    /// [`BenchError::Timing`] naming the first array of the wrong length.
    pub fn check_len(&self, n: usize) -> Result<(), BenchError> {
        for (name, a) in [
            ("intended", self.intended),
            ("start", self.start),
            ("end", self.end),
            ("validated", self.validated),
            ("risked", self.risked),
            ("executed", self.executed),
        ] {
            if a.len() != n {
                return Err(BenchError::Timing(format!("{name} has {} entries, expected {n}", a.len())));
            }
        }
        Ok(())
    }
}
