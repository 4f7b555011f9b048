//! Where reports go: the [`ReportSink`] trait, sinks for collecting, counting and
//! digesting, and the per-event emitter that numbers reports.

use crate::digest::ReportDigest;
use crate::format::ReportRecord;

/// Receives the engine's reports in stream order, with `seq` and `event_index` set.
pub trait ReportSink {
    /// Takes one report.
    fn emit(&mut self, report: ReportRecord);
}

impl ReportSink for Vec<ReportRecord> {
    #[inline]
    fn emit(&mut self, report: ReportRecord) {
        self.push(report);
    }
}

impl<S: ReportSink + ?Sized> ReportSink for &mut S {
    #[inline]
    fn emit(&mut self, report: ReportRecord) {
        (**self).emit(report);
    }
}

/// Counts reports and folds every field into a cheap (non-cryptographic) checksum, so a
/// benchmark keeps all the work of building reports without storing them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CountingSink {
    /// Reports received.
    pub count: u64,
    /// Order-sensitive fold of every report's fields.
    pub checksum: u64,
}

impl ReportSink for CountingSink {
    #[inline]
    fn emit(&mut self, r: ReportRecord) {
        const K: u64 = 0x9e37_79b9_7f4a_7c15;
        let small = u64::from(r.instrument)
            | u64::from(r.account) << 16
            | u64::from(r.kind) << 32
            | u64::from(r.stage) << 40
            | u64::from(r.reason) << 48
            | u64::from(r.venue) << 56;
        let tail = u64::from(r.liquidity) | u64::from(r.side) << 8;
        let mut h = self.checksum;
        for w in [r.seq, r.event_index, r.order_id, r.ref_id, r.price as u64, r.qty as u64, small, tail] {
            h = (h.rotate_left(5) ^ w).wrapping_mul(K);
        }
        self.checksum = h;
        self.count += 1;
    }
}

/// Counts reports and computes the stream's SHA-256 digest on the fly
/// ([`crate::digest::report_digest`] of the same reports).
#[derive(Clone, Default)]
pub struct DigestSink {
    digest: ReportDigest,
    count: u64,
}

impl DigestSink {
    /// Reports received so far.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The digest as lowercase hex.
    pub fn finish_hex(self) -> String {
        self.digest.finish_hex()
    }
}

impl ReportSink for DigestSink {
    #[inline]
    fn emit(&mut self, report: ReportRecord) {
        self.digest.update(std::slice::from_ref(&report));
        self.count += 1;
    }
}

/// Numbers the reports of one input event and passes them on.
pub(super) struct Emitter<'a, S: ReportSink> {
    sink: &'a mut S,
    /// Sequence number of the last report emitted (0 before the first).
    pub(super) seq: u64,
    event_index: u64,
}

impl<'a, S: ReportSink> Emitter<'a, S> {
    #[inline]
    pub(super) fn new(sink: &'a mut S, last_seq: u64, event_index: u64) -> Self {
        Emitter { sink, seq: last_seq, event_index }
    }

    #[inline]
    pub(super) fn emit(&mut self, mut report: ReportRecord) {
        self.seq = self.seq.wrapping_add(1);
        report.seq = self.seq;
        report.event_index = self.event_index;
        self.sink.emit(report);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::report_digest;

    #[test]
    fn emitter_numbers_reports_from_the_last_seq() {
        let mut out: Vec<ReportRecord> = Vec::new();
        let mut em = Emitter::new(&mut out, 41, 7);
        em.emit(ReportRecord { order_id: 1, ..Default::default() });
        em.emit(ReportRecord { order_id: 2, seq: 999, event_index: 999, ..Default::default() });
        assert_eq!(em.seq, 43);
        assert_eq!(
            out.iter().map(|r| (r.seq, r.event_index, r.order_id)).collect::<Vec<_>>(),
            [(42, 7, 1), (43, 7, 2)]
        );
    }

    #[test]
    fn digest_sink_matches_the_one_shot_digest_and_counting_sink_sees_every_field() {
        let reports: Vec<ReportRecord> =
            (1..=5).map(|i| ReportRecord { seq: i, kind: 3, qty: i as i64, ..Default::default() }).collect();
        let mut d = DigestSink::default();
        let mut c = CountingSink::default();
        for r in &reports {
            d.emit(*r);
            c.emit(*r);
        }
        assert_eq!(d.count(), 5);
        assert_eq!(d.finish_hex(), report_digest(&reports));
        let mut c2 = CountingSink::default();
        for (i, r) in reports.iter().enumerate() {
            c2.emit(if i == 3 { ReportRecord { side: 1, ..*r } } else { *r });
        }
        assert_eq!(c2.count, c.count);
        assert_ne!(c2.checksum, c.checksum);
    }
}
