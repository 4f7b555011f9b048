//! A reader thread of the experiment: polls every instrument's top of book in a loop until
//! the engine is done, timing each read and noting the reads that were already stale.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};

use hdrhistogram::Histogram;
use hotpath_board::{Board, BoardReader};

use super::stale::{StaleRead, Staleness};
use super::Heads;
use crate::clock::monotonic_ns;
use crate::error::BenchError;
use crate::recorder::{new_histogram, summarize, Summary};

/// Stale reads kept per reader for the staleness figures (the rest are only counted), so
/// a reader that falls far behind cannot exhaust memory.
const STALE_LOG: usize = 1 << 20;

/// What one reader thread measured.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReaderFigures {
    /// Reads made (one per instrument per sweep).
    pub reads: u64,
    /// Reads that found nothing published yet.
    pub empty_reads: u64,
    /// From the common start to the engine's end.
    pub wall_ns: u64,
    /// Time of each read (a board call between two clock reads, so the clock's own cost,
    /// about 20 ns, is included).
    pub read_latency: Summary,
    /// Reads that returned something older than a publication of that instrument whose
    /// event had ended before the read ended (of the candidates examined).
    pub stale_reads: u64,
    /// Candidates (a newer publication seen right after the read) examined: the first
    /// [`STALE_LOG`]; the rest are counted in `stale_unexamined`.
    pub stale_measured: u64,
    /// Candidates beyond [`STALE_LOG`], not examined.
    pub stale_unexamined: u64,
    /// For stale reads: publications of the instrument newer than the one read.
    pub stale_publications: Summary,
    /// For stale reads: ns from the end of the event that superseded what was read to the
    /// end of the read.
    pub stale_ns: Summary,
    /// Reads whose seq was lower than the same reader's previous read of that instrument
    /// (a broken protocol; always 0).
    pub seq_regressions: u64,
}

/// What the polling loop leaves for [`ReaderRun::figures`].
pub(crate) struct ReaderRun {
    reads: u64,
    empty_reads: u64,
    wall_ns: u64,
    latency: Histogram<u64>,
    stale_reads: u64,
    stale: Vec<StaleRead>,
    seq_regressions: u64,
}

/// Polls `board` from the moment `start` opens until a sweep that began after `done`.
///
/// # Errors
/// [`BenchError::Histogram`] if the latency histogram cannot be made.
pub(crate) fn poll<B: Board>(
    board: &Arc<B>,
    heads: &Heads,
    done: &AtomicBool,
    start: &Barrier,
) -> Result<ReaderRun, BenchError> {
    let mut reader = B::reader(board);
    let instruments = board.instruments();
    let mut latency = new_histogram()?;
    let mut last_seq: Vec<Option<u64>> = vec![None; instruments];
    let mut stale = Vec::with_capacity(STALE_LOG);
    let (mut reads, mut empty_reads, mut stale_reads, mut seq_regressions) = (0u64, 0u64, 0u64, 0u64);
    start.wait();
    let started = monotonic_ns();
    // At least one sweep, even if the engine finished before this thread got a core.
    loop {
        let finished = done.load(Ordering::Acquire);
        for (instrument, last) in last_seq.iter_mut().enumerate() {
            let t0 = monotonic_ns();
            let top = reader.top(instrument);
            let t1 = monotonic_ns();
            latency.saturating_record(t1 - t0);
            reads += 1;
            let seq = top.map(|t| t.seq);
            match (seq, *last) {
                (None, _) => empty_reads += 1,
                (Some(s), Some(l)) if s < l => seq_regressions += 1,
                _ => {}
            }
            if seq.is_some() {
                *last = seq;
            }
            if let Some(newest) = heads.newest(instrument) {
                if seq.map_or(true, |s| s < newest) {
                    stale_reads += 1;
                    if stale.len() < STALE_LOG {
                        stale.push(StaleRead { at_ns: t1, instrument, seq, newest });
                    }
                }
            }
        }
        if finished {
            break;
        }
    }
    let wall_ns = monotonic_ns() - started;
    Ok(ReaderRun { reads, empty_reads, wall_ns, latency, stale_reads, stale, seq_regressions })
}

impl ReaderRun {
    /// The reader's figures, its stale reads measured against the engine's publications
    /// (event indexes per instrument) and the end stamp of every event.
    ///
    /// # Errors
    /// [`BenchError::Histogram`] if a histogram cannot be made; [`BenchError::Experiment`]
    /// if a read names a publication the engine did not make.
    pub(crate) fn figures(self, publications: &[Vec<u64>], end: &[u64]) -> Result<ReaderFigures, BenchError> {
        let staleness = Staleness::measure(&self.stale, publications, end)?;
        Ok(ReaderFigures {
            reads: self.reads,
            empty_reads: self.empty_reads,
            wall_ns: self.wall_ns,
            read_latency: summarize(&self.latency),
            stale_reads: staleness.stale,
            stale_measured: self.stale.len() as u64,
            stale_unexamined: self.stale_reads - self.stale.len() as u64,
            stale_publications: summarize(&staleness.publications),
            stale_ns: summarize(&staleness.ns),
            seq_regressions: self.seq_regressions,
        })
    }
}
