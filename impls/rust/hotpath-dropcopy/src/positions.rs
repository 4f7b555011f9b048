//! Net positions folded from FILL reports, and when a snapshot of them is due.
//!
//! The rule (docs/dropcopy.md) depends on the report stream only, never on timing: a
//! snapshot after each report whose seq is a multiple of `every`, and one at the end of
//! the pass unless its last seq was such a multiple.

use std::collections::BTreeMap;

use hotpath_core::format::{ReportKind, ReportRecord, Side};

use crate::layout::Position;

/// Net position per (account, instrument), in the order snapshots list them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PositionBook {
    positions: BTreeMap<(u16, u16), i64>,
}

impl PositionBook {
    /// Folds one report in: a FILL moves its pair by `qty` (BUY adds, SELL subtracts,
    /// wrapping at 64 bits) and lists the pair from then on; other kinds change nothing.
    pub fn fold(&mut self, r: &ReportRecord) {
        if r.kind != ReportKind::Fill as u8 {
            return;
        }
        let p = self.positions.entry((r.account, r.instrument)).or_insert(0);
        *p = match Side::from_u8(r.side) {
            Some(Side::Buy) => p.wrapping_add(r.qty),
            Some(Side::Sell) => p.wrapping_sub(r.qty),
            // not produced by the engine: the pair is listed, its position unchanged
            None => *p,
        };
    }

    /// Every pair that has had a fill, sorted by (account, instrument).
    pub fn positions(&self) -> Vec<Position> {
        self.positions
            .iter()
            .map(|(&(account, instrument), &position)| Position { account, instrument, position })
            .collect()
    }

    /// The `positions` field of a snapshot: the 16-byte records of [`Self::positions`].
    pub fn snapshot_bytes(&self) -> Vec<u8> {
        self.positions().iter().flat_map(|p| p.to_bytes()).collect()
    }
}

/// When position snapshots are taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cadence {
    every: u64,
}

impl Cadence {
    /// Every `every` reports (at least 1).
    pub fn new(every: u64) -> Cadence {
        Cadence { every: every.max(1) }
    }

    /// Whether a snapshot follows the report with this seq.
    #[inline]
    pub fn after(self, seq: u64) -> bool {
        seq % self.every == 0
    }

    /// Whether a pass whose last report had this seq ends with one more snapshot (none
    /// for an empty pass, none if the last report already had its snapshot).
    pub fn at_end(self, last_seq: u64) -> bool {
        last_seq > 0 && !self.after(last_seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(seq: u64, account: u16, instrument: u16, side: u8, qty: i64) -> ReportRecord {
        ReportRecord {
            seq,
            account,
            instrument,
            side,
            qty,
            kind: ReportKind::Fill as u8,
            ..Default::default()
        }
    }

    #[test]
    fn fills_move_positions_other_reports_do_not() {
        let mut book = PositionBook::default();
        book.fold(&fill(1, 2, 0, 1, 10));
        book.fold(&fill(2, 1, 5, 2, 4));
        book.fold(&fill(3, 2, 0, 2, 10));
        book.fold(&ReportRecord {
            seq: 4,
            account: 0,
            kind: ReportKind::Ack as u8,
            side: 1,
            qty: 99,
            ..Default::default()
        });
        book.fold(&fill(5, 1, 5, 2, 1));
        assert_eq!(
            book.positions(),
            [
                Position { account: 1, instrument: 5, position: -5 },
                // back at 0, still listed
                Position { account: 2, instrument: 0, position: 0 },
            ]
        );
        assert_eq!(book.snapshot_bytes().len(), 32);
        assert_eq!(
            &book.snapshot_bytes()[..16],
            &Position { account: 1, instrument: 5, position: -5 }.to_bytes()
        );
    }

    #[test]
    fn positions_wrap_at_64_bits() {
        let mut book = PositionBook::default();
        book.fold(&fill(1, 0, 0, 1, i64::MAX));
        book.fold(&fill(2, 0, 0, 1, 2));
        assert_eq!(book.positions()[0].position, i64::MIN + 1);
        book.fold(&fill(3, 0, 0, 2, i64::MIN));
        assert_eq!(book.positions()[0].position, 1);
    }

    #[test]
    fn snapshots_follow_multiples_and_the_end_of_the_pass() {
        let c = Cadence::new(3);
        let after: Vec<u64> = (1..=10).filter(|s| c.after(*s)).collect();
        assert_eq!(after, [3, 6, 9]);
        assert!(c.at_end(10));
        assert!(!c.at_end(9), "the last report had its snapshot already");
        assert!(!c.at_end(0), "no reports, no snapshot");
        assert!(Cadence::new(1).after(7) && !Cadence::new(1).at_end(7));
    }
}
