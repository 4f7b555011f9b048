//! What a run leaves in `--out`: `NAME.wire.json`, the HDR files and the report file, each
//! written to a temporary name and renamed into place, so a reader never sees half a file.

use std::path::Path;

use hotpath_bench::recorder::{percentile_distribution, Metric, Recording, Summary};
use hotpath_core::format::{FileHeader, FileKind, HEADER_SIZE};

use crate::error::LoadgenError;

/// Writes `bytes` to `dir/name` atomically (temporary file, fsync, rename).
///
/// # Errors
/// [`LoadgenError::Output`] naming the file.
pub fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), LoadgenError> {
    use std::io::Write as _;
    let target = dir.join(name);
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let fail = |e: std::io::Error| LoadgenError::Output(format!("{}: {e}", target.display()));
    let mut f = std::fs::File::create(&tmp).map_err(fail)?;
    f.write_all(bytes).map_err(fail)?;
    f.sync_all().map_err(fail)?;
    std::fs::rename(&tmp, &target).map_err(fail)
}

/// A report file (`docs/formats.md`) holding `records` (raw 64-byte report records).
pub fn report_file(metadata: &serde_json::Value, records: &[u8]) -> Vec<u8> {
    let meta = metadata.to_string().into_bytes();
    let data_offset = FileHeader::data_offset_for(meta.len());
    let header = FileHeader {
        kind: FileKind::Reports,
        data_offset,
        record_count: (records.len() / 64) as u64,
        metadata_len: meta.len() as u32,
    };
    let mut out = Vec::with_capacity(data_offset as usize + records.len());
    out.extend_from_slice(&header.to_bytes());
    out.extend_from_slice(&meta);
    out.resize(data_offset as usize, 0);
    debug_assert!(out.len() >= HEADER_SIZE);
    out.extend_from_slice(records);
    out
}

/// A summary as `wire.json` (and `run.json`) spell it.
pub fn summary_json(s: &Summary) -> serde_json::Value {
    serde_json::json!({
        "count": s.count, "min": s.min, "p50": s.p50, "p90": s.p90, "p99": s.p99,
        "p999": s.p999, "p9999": s.p9999, "max": s.max, "mean": s.mean,
    })
}

/// Writes `NAME.hlog`, `NAME.hgrm` (e2e) and `NAME.<metric>.hgrm` for the metrics a wire
/// run observes.
///
/// # Errors
/// [`LoadgenError::Output`].
pub fn write_histograms(dir: &Path, label: &str, recording: &Recording) -> Result<(), LoadgenError> {
    write_atomic(dir, &format!("{label}.hlog"), recording.hlog().as_bytes())?;
    for metric in WIRE_METRICS {
        let name = match metric {
            Metric::EndToEnd => format!("{label}.hgrm"),
            m => format!("{label}.{}.hgrm", m.name()),
        };
        write_atomic(dir, &name, percentile_distribution(recording.histogram(metric), 1000.0).as_bytes())?;
    }
    Ok(())
}

/// The metrics observable from outside a gateway (the stage stamps are not).
pub const WIRE_METRICS: [Metric; 3] = [Metric::EndToEnd, Metric::Service, Metric::TickToBook];
