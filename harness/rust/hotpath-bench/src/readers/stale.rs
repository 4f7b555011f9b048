//! How stale a stale read was, worked out after the pass from the engine's own record:
//! which events published for each instrument, and when each event ended.

use hdrhistogram::Histogram;
use hotpath_core::format::EventRecord;

use crate::error::BenchError;
use crate::recorder::new_histogram;

/// A read that returned something older than the newest publication of its instrument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct StaleRead {
    /// When the read ended.
    pub(crate) at_ns: u64,
    pub(crate) instrument: usize,
    /// Event index of what was read (`None`: nothing, though something was published).
    pub(crate) seq: Option<u64>,
    /// Event index of the newest publication seen right after the read.
    pub(crate) newest: u64,
}

/// The event indexes that published, per instrument, in order.
pub(crate) fn publications_by_instrument(
    events: &[EventRecord],
    published: &[u64],
    instruments: usize,
) -> Vec<Vec<u64>> {
    let mut by_instrument = vec![Vec::new(); instruments];
    for (i, (ev, &p)) in events.iter().zip(published).enumerate() {
        if p != 0 {
            if let Some(list) = by_instrument.get_mut(usize::from(ev.instrument)) {
                list.push(i as u64);
            }
        }
    }
    by_instrument
}

/// Stale reads measured: publications missed and ns since superseded.
pub(crate) struct Staleness {
    pub(crate) publications: Histogram<u64>,
    pub(crate) ns: Histogram<u64>,
}

impl Staleness {
    /// For each stale read: how many publications of its instrument were newer than what
    /// it returned, up to the newest it saw; and how long before the read ended the event
    /// that superseded what it returned had ended (0 if that event's end stamp came after
    /// the read: the publication precedes the stamp by the few ns left of the event).
    ///
    /// # Errors
    /// [`BenchError::Experiment`] if a read names a publication that is not in
    /// `publications`; [`BenchError::Histogram`] if a histogram cannot be made.
    pub(crate) fn measure(
        stale: &[StaleRead],
        publications: &[Vec<u64>],
        end: &[u64],
    ) -> Result<Staleness, BenchError> {
        let mut out = Staleness { publications: new_histogram()?, ns: new_histogram()? };
        for read in stale {
            let list = publications.get(read.instrument).map_or(&[][..], Vec::as_slice);
            let rank = |index: u64| {
                list.binary_search(&index).map_err(|_| {
                    BenchError::Experiment(format!(
                        "a reader saw event {index} as a publication of instrument {}, which the engine did not publish",
                        read.instrument
                    ))
                })
            };
            let newest = rank(read.newest)?;
            // The first publication after what was read is the one that superseded it.
            let (missed, superseding) = match read.seq {
                Some(seq) => {
                    let r = rank(seq)?;
                    (newest - r, r + 1)
                }
                None => (newest + 1, 0),
            };
            let superseded_at = end.get(list[superseding] as usize).copied().unwrap_or(0);
            out.publications.saturating_record(missed as u64);
            out.ns.saturating_record(read.at_ns.saturating_sub(superseded_at));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stale_read_counts_the_newer_publications_and_the_time_since_it_was_superseded() {
        let ev = |instrument| EventRecord { instrument, kind: 1, ..Default::default() };
        let events = [ev(0), ev(1), ev(0), ev(0), ev(1)];
        let by = publications_by_instrument(&events, &[1, 1, 0, 1, 1], 2);
        assert_eq!(by, vec![vec![0, 3], vec![1, 4]]);
        let end = [10, 20, 30, 40, 50];
        let stale = [
            StaleRead { at_ns: 100, instrument: 0, seq: Some(0), newest: 3 },
            StaleRead { at_ns: 45, instrument: 1, seq: None, newest: 4 },
        ];
        let s = Staleness::measure(&stale, &by, &end).expect("consistent");
        assert_eq!((s.publications.min(), s.publications.max()), (1, 2), "1 missed, then 2 (nothing read)");
        assert_eq!(s.ns.max(), 100 - 40, "superseded by event 3, which ended at 40");
        assert_eq!(s.ns.min(), 45 - 20, "nothing read: superseded by the first publication");
        let bad = [StaleRead { at_ns: 1, instrument: 0, seq: Some(2), newest: 3 }];
        assert!(Staleness::measure(&bad, &by, &end).is_err(), "event 2 did not publish");
    }
}
