//! Stage stamps: the end of validation, risk and execution of each order request, on the
//! monotonic clock, for a harness that times the pipeline stage by stage.
//!
//! The engine knows only the [`StageProbe`] hooks; this is the probe that turns them into
//! timestamps. Builds that are driven event by event from elsewhere (the per-event FFI
//! engine) keep a [`StageStamps`]; a driver with its own per-event arrays (the native
//! loop) lends them to a [`StampProbe`] directly.

use crate::clock::monotonic_ns;
use crate::engine::StageProbe;
use crate::resident::resident_zeroed;

/// End-of-stage stamps per event (absolute `CLOCK_MONOTONIC` ns; 0 = the stage did not
/// run, e.g. no risk stamp for a request rejected in validation).
#[derive(Clone, Debug, Default)]
pub struct StageStamps {
    /// End of validation.
    pub validated: Vec<u64>,
    /// End of risk.
    pub risked: Vec<u64>,
    /// End of execution.
    pub executed: Vec<u64>,
}

impl StageStamps {
    /// Zeroed, resident stamps for `n` events.
    pub fn with_len(n: usize) -> Self {
        StageStamps {
            validated: resident_zeroed(n),
            risked: resident_zeroed(n),
            executed: resident_zeroed(n),
        }
    }

    /// A probe that stamps event `index`.
    #[inline]
    pub fn probe(&mut self, index: usize) -> StampProbe<'_> {
        StampProbe::new(&mut self.validated, &mut self.risked, &mut self.executed, index)
    }
}

/// Writes the end-of-stage stamps of one event into borrowed arrays (out-of-range
/// indexes are ignored rather than panicking: the pipeline must not fail because a
/// harness sized its arrays short).
pub struct StampProbe<'a> {
    validated: &'a mut [u64],
    risked: &'a mut [u64],
    executed: &'a mut [u64],
    index: usize,
}

impl<'a> StampProbe<'a> {
    /// A probe stamping slot `index` of the three arrays.
    #[inline]
    pub fn new(
        validated: &'a mut [u64],
        risked: &'a mut [u64],
        executed: &'a mut [u64],
        index: usize,
    ) -> Self {
        StampProbe { validated, risked, executed, index }
    }
}

impl StageProbe for StampProbe<'_> {
    #[inline]
    fn validated(&mut self) {
        if let Some(slot) = self.validated.get_mut(self.index) {
            *slot = monotonic_ns();
        }
    }
    #[inline]
    fn risk_checked(&mut self) {
        if let Some(slot) = self.risked.get_mut(self.index) {
            *slot = monotonic_ns();
        }
    }
    #[inline]
    fn executed(&mut self) {
        if let Some(slot) = self.executed.get_mut(self.index) {
            *slot = monotonic_ns();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_land_in_their_slot_in_stage_order() {
        let mut s = StageStamps::with_len(3);
        let before = monotonic_ns();
        let mut p = s.probe(1);
        p.validated();
        p.risk_checked();
        p.executed();
        assert_eq!((s.validated[0], s.validated[2]), (0, 0), "other events untouched");
        assert!(before <= s.validated[1]);
        assert!(s.validated[1] <= s.risked[1] && s.risked[1] <= s.executed[1]);
    }

    #[test]
    fn an_index_past_the_arrays_is_ignored() {
        let mut s = StageStamps::with_len(2);
        let mut p = s.probe(7);
        p.validated();
        p.executed();
        assert!(s.validated.iter().chain(&s.executed).all(|&v| v == 0));
    }
}
