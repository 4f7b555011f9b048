//! SHA-256 digests of report streams and files: equal digests mean equal behaviour.

use sha2::{Digest, Sha256};

use crate::format::{records_as_bytes, ReportRecord};

/// Incremental SHA-256 over a report stream's canonical bytes (the records only).
#[derive(Clone, Default)]
pub struct ReportDigest(Sha256);

impl ReportDigest {
    /// Feeds reports in stream order.
    pub fn update(&mut self, reports: &[ReportRecord]) {
        self.0.update(records_as_bytes(reports));
    }

    /// The digest as lowercase hex.
    pub fn finish_hex(self) -> String {
        to_hex(&self.0.finalize())
    }
}

/// Digest of a complete report stream, as lowercase hex.
pub fn report_digest(reports: &[ReportRecord]) -> String {
    let mut d = ReportDigest::default();
    d.update(reports);
    d.finish_hex()
}

/// SHA-256 of arbitrary bytes (a whole scenario file), as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    to_hex(&Sha256::digest(bytes))
}

fn to_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_stream_digest_is_sha256_of_nothing() {
        assert_eq!(report_digest(&[]), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    #[test]
    fn incremental_equals_one_shot_and_any_field_change_shows() {
        let r = ReportRecord { seq: 1, kind: 1, order_id: 7, ..Default::default() };
        let mut two = [r, ReportRecord { seq: 2, ..r }];
        let mut d = ReportDigest::default();
        d.update(&two[..1]);
        d.update(&two[1..]);
        let once = report_digest(&two);
        assert_eq!(d.finish_hex(), once);
        two[1].liquidity = 2;
        assert_ne!(report_digest(&two), once);
    }
}
