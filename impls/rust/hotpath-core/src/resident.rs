//! Buffers whose pages are resident before a timed pass starts.
//!
//! A fresh allocation may be backed by zero pages that the kernel maps only on first
//! write: a page fault inside the pass, charged to whichever event touched the page. These
//! helpers write every page once up front.

use crate::format::ReportRecord;

/// A zeroed vector of `n` values whose pages are already resident.
///
/// `vec![0; n]` may come from `calloc`, whose zero pages are only mapped on first write;
/// writing a non-zero pattern first forces them in.
pub fn resident_zeroed(n: usize) -> Vec<u64> {
    let mut v = vec![u64::MAX; n];
    std::hint::black_box(&mut v);
    v.fill(0);
    v
}

/// An empty report vector with `capacity` resident (written once, then cleared), so a
/// pass that stays within it neither grows the vector nor page-faults.
pub fn resident_reports(capacity: usize) -> Vec<ReportRecord> {
    let mut v = vec![ReportRecord { kind: u8::MAX, ..ReportRecord::default() }; capacity];
    std::hint::black_box(&mut v);
    v.clear();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zeroed_is_zero_and_reports_are_empty_with_room() {
        assert!(resident_zeroed(1000).iter().all(|&v| v == 0));
        let r = resident_reports(500);
        assert!(r.is_empty() && r.capacity() >= 500);
    }
}
