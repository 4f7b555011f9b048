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
    /// Candidates confirmed stale.
    pub(crate) stale: u64,
    pub(crate) publications: Histogram<u64>,
    pub(crate) ns: Histogram<u64>,
}

impl Staleness {
    /// For each candidate (a newer publication seen right after the read): stale if a
    /// publication newer than what it returned came from an event that ended before the
    /// read ended; then how many such publications it missed, and how long before the read
    /// ended the first of them had ended. A publication is visible a few ns before its
    /// event's end stamp, so this slightly under-counts, never over-counts.
    ///
    /// # Errors
    /// [`BenchError::Experiment`] if a read names a publication that is not in
    /// `publications`; [`BenchError::Histogram`] if a histogram cannot be made.
    pub(crate) fn measure(
        stale: &[StaleRead],
        publications: &[Vec<u64>],
        end: &[u64],
    ) -> Result<Staleness, BenchError> {
        let mut out = Staleness { stale: 0, publications: new_histogram()?, ns: new_histogram()? };
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
            // The publications after what was read, up to the newest seen after the read;
            // only those whose event had ended before the read ended count (the newest
            // is loaded after the read's end stamp, so it may be later still).
            let first_newer = match read.seq {
                Some(seq) => rank(seq)? + 1,
                None => 0,
            };
            let newer = &list[first_newer..=newest.max(first_newer)];
            let ended_before =
                newer.partition_point(|&j| end.get(j as usize).is_some_and(|&e| e <= read.at_ns));
            if ended_before == 0 || first_newer > newest {
                continue;
            }
            out.stale += 1;
            out.publications.saturating_record(ended_before as u64);
            out.ns.saturating_record(read.at_ns - end[newer[0] as usize]);
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
            StaleRead { at_ns: 55, instrument: 1, seq: None, newest: 4 },
            // event 4 published but had not ended when the read ended: not stale
            StaleRead { at_ns: 45, instrument: 1, seq: Some(1), newest: 4 },
        ];
        let s = Staleness::measure(&stale, &by, &end).expect("consistent");
        assert_eq!(s.stale, 2);
        assert_eq!((s.publications.min(), s.publications.max()), (1, 2), "1 missed, then 2 (nothing read)");
        assert_eq!(s.ns.max(), 100 - 40, "superseded by event 3, which ended at 40");
        assert_eq!(s.ns.min(), 55 - 20, "nothing read: superseded by the first publication");
        let bad = [StaleRead { at_ns: 1, instrument: 0, seq: Some(2), newest: 3 }];
        assert!(Staleness::measure(&bad, &by, &end).is_err(), "event 2 did not publish");
    }
}
