//! Turning per-event timestamp arrays into HdrHistograms and their standard text forms.
//!
//! Every build's timings go through this one path after its timed pass, so a difference
//! between builds cannot come from how it was recorded.

use std::fmt::Write as _;
use std::time::{Duration, SystemTime};

use hdrhistogram::serialization::interval_log::{IntervalLogWriterBuilder, Tag};
use hdrhistogram::serialization::V2DeflateSerializer;
use hdrhistogram::Histogram;
use hotpath_core::format::EventKind;

use crate::error::BenchError;
use crate::timing::TimesView;

/// Lowest and highest trackable latency (1 ns .. 1 h) and precision of every histogram.
pub const LOWEST_NS: u64 = 1;
/// See [`LOWEST_NS`].
pub const HIGHEST_NS: u64 = 3_600_000_000_000;
/// Significant decimal digits kept.
pub const SIGFIG: u8 = 3;

/// What is measured, per build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    /// Order request: completion − intended dispatch (queueing included).
    EndToEnd,
    /// Order request: completion − actual start (no queueing).
    Service,
    /// Order request: validation stage (from the driver's start stamp).
    Validation,
    /// Order request: risk stage.
    Risk,
    /// Order request: execution stage.
    Execution,
    /// Market-data event: completion − intended dispatch.
    TickToBook,
}

impl Metric {
    /// All metrics, in report order.
    pub const ALL: [Metric; 6] = [
        Metric::EndToEnd,
        Metric::Service,
        Metric::Validation,
        Metric::Risk,
        Metric::Execution,
        Metric::TickToBook,
    ];

    /// Short name used as `.hlog` tag, file suffix and `run.json` key.
    pub const fn name(self) -> &'static str {
        match self {
            Metric::EndToEnd => "e2e",
            Metric::Service => "service",
            Metric::Validation => "validation",
            Metric::Risk => "risk",
            Metric::Execution => "execution",
            Metric::TickToBook => "tick_to_book",
        }
    }
}

/// Summary statistics of one histogram, in ns.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Summary {
    /// Number of values.
    pub count: u64,
    /// Smallest value (lowest equivalent).
    pub min: u64,
    /// Median.
    pub p50: u64,
    /// 90th percentile.
    pub p90: u64,
    /// 99th percentile.
    pub p99: u64,
    /// 99.9th percentile.
    pub p999: u64,
    /// 99.99th percentile.
    pub p9999: u64,
    /// Largest value (highest equivalent).
    pub max: u64,
    /// Mean.
    pub mean: f64,
}

/// Summarises a histogram the way `run.json` reports it.
pub fn summarize(h: &Histogram<u64>) -> Summary {
    if h.is_empty() {
        return Summary::default();
    }
    Summary {
        count: h.len(),
        min: h.min(),
        p50: h.value_at_quantile(0.50),
        p90: h.value_at_quantile(0.90),
        p99: h.value_at_quantile(0.99),
        p999: h.value_at_quantile(0.999),
        p9999: h.value_at_quantile(0.9999),
        max: h.max(),
        mean: h.mean(),
    }
}

/// The summary of `later[i] − earlier[i]` over every event with both stamps (0 = did not
/// happen), recorded into a histogram like every other figure of a run; a negative
/// difference counts as 0. For figures outside [`Metric`]: the driver-overhead pass and
/// how late events were dispatched (start − intended).
///
/// # Errors
/// [`BenchError::Timing`] if the arrays differ in length.
pub fn summarize_gaps(later: &[u64], earlier: &[u64]) -> Result<Summary, BenchError> {
    if later.len() != earlier.len() {
        return Err(BenchError::Timing(format!(
            "{} later stamps but {} earlier ones",
            later.len(),
            earlier.len()
        )));
    }
    let mut h = new_histogram()?;
    for (&l, &e) in later.iter().zip(earlier) {
        if l != 0 && e != 0 {
            h.saturating_record(l.saturating_sub(e));
        }
    }
    Ok(summarize(&h))
}

/// A new histogram with the lab's range and precision.
///
/// # Errors
/// Never in practice (the bounds are constants); mapped to [`BenchError::Histogram`].
pub fn new_histogram() -> Result<Histogram<u64>, BenchError> {
    Histogram::new_with_bounds(LOWEST_NS, HIGHEST_NS, SIGFIG)
        .map_err(|e| BenchError::Histogram(format!("{e:?}")))
}

/// The histograms of one timed pass and its interval log.
pub struct Recording {
    histograms: Vec<Histogram<u64>>,
    hlog: String,
}

impl Recording {
    /// The whole-pass histogram of a metric.
    pub fn histogram(&self, m: Metric) -> &Histogram<u64> {
        &self.histograms[m as usize]
    }

    /// The summary of a metric.
    pub fn summary(&self, m: Metric) -> Summary {
        summarize(self.histogram(m))
    }

    /// The interval log (`.hlog`): one interval per `interval_ns`, tagged by metric.
    pub fn hlog(&self) -> &str {
        &self.hlog
    }
}

/// Records one timed pass.
///
/// `kinds[i]` is the event kind of event `i`; intervals of the log are cut by intended
/// time relative to `t0`. `start_time` is the wall-clock moment `t0` corresponds to (it
/// only labels the log).
///
/// # Errors
/// [`BenchError::Timing`] if the arrays disagree in length; [`BenchError::Histogram`] if
/// serialising fails.
pub fn record(
    kinds: &[u8],
    t: TimesView<'_>,
    t0: u64,
    interval_ns: u64,
    start_time: SystemTime,
) -> Result<Recording, BenchError> {
    t.check_len(kinds.len())?;
    let interval_ns = interval_ns.max(1);
    let mut histograms = Vec::with_capacity(Metric::ALL.len());
    let mut current = Vec::with_capacity(Metric::ALL.len());
    for _ in Metric::ALL {
        histograms.push(new_histogram()?);
        current.push(new_histogram()?);
    }
    let mut current_interval = [u64::MAX; Metric::ALL.len()];
    let mut buf = Vec::new();
    let mut serializer = V2DeflateSerializer::new();
    {
        let mut writer = IntervalLogWriterBuilder::new()
            .add_comment("hotpath interval log: values in ns, one interval per second of the run")
            .with_start_time(start_time)
            .with_max_value_divisor(1000.0)
            .begin_log_with(&mut buf, &mut serializer)
            .map_err(|e| BenchError::Histogram(e.to_string()))?;
        let mut flush = |m: usize, interval: u64, h: &mut Histogram<u64>| -> Result<(), BenchError> {
            if h.is_empty() || interval == u64::MAX {
                return Ok(());
            }
            let tag = Tag::new(Metric::ALL[m].name());
            writer
                .write_histogram(
                    h,
                    Duration::from_nanos(interval * interval_ns),
                    Duration::from_nanos(interval_ns),
                    tag,
                )
                .map_err(|e| BenchError::Histogram(format!("{e:?}")))?;
            h.reset();
            Ok(())
        };
        for (i, &kind) in kinds.iter().enumerate() {
            let (start, end, intended) = (t.start[i], t.end[i], t.intended[i]);
            if start == 0 || end == 0 {
                continue; // not dispatched (only possible if a pass was cut short)
            }
            let interval = intended.saturating_sub(t0) / interval_ns;
            let mut put = |m: Metric, value: u64| -> Result<(), BenchError> {
                let k = m as usize;
                if current_interval[k] != interval {
                    flush(k, current_interval[k], &mut current[k])?;
                    current_interval[k] = interval;
                }
                histograms[k].saturating_record(value);
                current[k].saturating_record(value);
                Ok(())
            };
            match EventKind::from_u8(kind) {
                Some(EventKind::BookDelta | EventKind::Trade) => {
                    put(Metric::TickToBook, end.saturating_sub(intended))?
                }
                Some(EventKind::NewOrder | EventKind::Cancel | EventKind::Replace) => {
                    put(Metric::EndToEnd, end.saturating_sub(intended))?;
                    put(Metric::Service, end.saturating_sub(start))?;
                    let (v, r, x) = (t.validated[i], t.risked[i], t.executed[i]);
                    if v != 0 {
                        put(Metric::Validation, v.saturating_sub(start))?;
                        if r != 0 {
                            put(Metric::Risk, r.saturating_sub(v))?;
                        }
                        let before_exec = if r != 0 { r } else { v };
                        if x != 0 {
                            put(Metric::Execution, x.saturating_sub(before_exec))?;
                        }
                    }
                }
                None => {}
            }
        }
        for k in 0..Metric::ALL.len() {
            flush(k, current_interval[k], &mut current[k])?;
        }
    }
    let hlog = String::from_utf8(buf).map_err(|e| BenchError::Histogram(e.to_string()))?;
    Ok(Recording { histograms, hlog })
}

/// HdrHistogram's percentile distribution text (`.hgrm`), values divided by `unit_divisor`
/// (1000.0 prints µs), 5 ticks per half distance as HdrHistogram's own tools print it.
pub fn percentile_distribution(h: &Histogram<u64>, unit_divisor: f64) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:>12} {:>14} {:>10} {:>14}\n",
        "Value", "Percentile", "TotalCount", "1/(1-Percentile)"
    );
    let mut total = 0u64;
    if !h.is_empty() {
        for v in h.iter_quantiles(5) {
            total += v.count_since_last_iteration();
            let value = v.value_iterated_to() as f64 / unit_divisor;
            let q = v.quantile_iterated_to();
            if q < 1.0 {
                let _ = writeln!(out, "{value:>12.3} {q:>2.12} {total:>10} {:>14.2}", 1.0 / (1.0 - q));
            } else {
                let _ = writeln!(out, "{value:>12.3} {q:>2.12} {total:>10}");
            }
        }
    }
    let sub_buckets = (2 * 10u64.pow(u32::from(h.sigfig()))).next_power_of_two();
    let (mean, stdev, max) = if h.is_empty() {
        (0.0, 0.0, 0.0)
    } else {
        (h.mean() / unit_divisor, h.stdev() / unit_divisor, h.max() as f64 / unit_divisor)
    };
    let _ = writeln!(out, "#[Mean    = {mean:>12.3}, StdDeviation   = {stdev:>12.3}]");
    let _ = writeln!(out, "#[Max     = {max:>12.3}, Total count    = {:>12}]", h.len());
    let _ = writeln!(out, "#[Buckets = {:>12}, SubBuckets     = {sub_buckets:>12}]", h.buckets());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timing::EventTimes;

    fn times(n: usize) -> EventTimes {
        EventTimes::with_len(n)
    }

    #[test]
    fn end_to_end_counts_queueing_and_service_does_not() {
        // Two orders intended 1 µs apart; the first takes 10 µs, so the second waits 9 µs.
        let mut t = times(2);
        t.intended = vec![1_000, 2_000];
        t.start = vec![1_000, 11_000];
        t.end = vec![11_000, 12_000];
        let r = record(&[3, 3], t.view(), 1_000, 1_000_000_000, SystemTime::UNIX_EPOCH).expect("record");
        let e2e = r.summary(Metric::EndToEnd);
        let service = r.summary(Metric::Service);
        assert_eq!(e2e.count, 2);
        assert_eq!((service.min, service.max), (1_000, 10_007), "highest equivalent of 10 000 at 3 digits");
        assert!(e2e.min >= 10_000 && e2e.min < 10_010, "the queued order's latency includes its 9 µs wait");
        assert_eq!(r.summary(Metric::TickToBook).count, 0);
    }

    #[test]
    fn stages_skip_missing_stamps() {
        let mut t = times(3);
        t.intended = vec![0, 0, 0];
        t.start = vec![10, 10, 10];
        t.end = vec![100, 100, 100];
        t.validated = vec![20, 20, 0];
        t.risked = vec![30, 0, 0];
        t.executed = vec![90, 0, 0];
        let r = record(&[3, 4, 1], t.view(), 0, 1_000_000_000, SystemTime::UNIX_EPOCH).expect("record");
        assert_eq!(r.summary(Metric::Validation).count, 2);
        assert_eq!(r.summary(Metric::Risk).count, 1);
        assert_eq!(r.summary(Metric::Execution).max, 60);
        assert_eq!(r.summary(Metric::TickToBook).count, 1);
    }

    #[test]
    fn interval_log_has_one_tagged_interval_per_second() {
        let n = 30;
        let mut t = times(n);
        for i in 0..n {
            t.intended[i] = i as u64 * 100_000_000; // 10 per second over 3 s
            t.start[i] = t.intended[i] + 5;
            t.end[i] = t.intended[i] + 500;
        }
        let kinds = vec![3u8; n];
        let r = record(&kinds, t.view(), 0, 1_000_000_000, SystemTime::UNIX_EPOCH).expect("record");
        let lines: Vec<_> = r.hlog().lines().filter(|l| l.starts_with("Tag=e2e,")).collect();
        assert_eq!(lines.len(), 3, "{}", r.hlog());
        assert!(lines[1].starts_with("Tag=e2e,1.000,1.000,"), "{}", lines[1]);
        assert!(r.hlog().contains("HISTF"), "V2 compressed payloads");
    }

    #[test]
    fn gaps_are_summarised_from_a_histogram_skipping_missing_stamps() {
        let earlier: Vec<u64> = (1..=1000).map(|i| i * 10).collect();
        let mut later: Vec<u64> = earlier.iter().zip(1..).map(|(e, d)| e + d * 1000).collect();
        later[0] = 0; // not dispatched: left out
        let s = summarize_gaps(&later, &earlier).expect("summary");
        assert_eq!(s.count, 999);
        assert_eq!(s.min, 2_000);
        assert_eq!(s.p50, 501_000 + 247, "highest equivalent value at 3 digits");
        assert_eq!(s.max, 1_000_447);
        let early = summarize_gaps(&[5], &[9]).expect("summary");
        assert_eq!((early.count, early.max), (1, 0), "early counts as 0, not as wrap-around");
        assert!(summarize_gaps(&[1, 2], &[1]).is_err());
        assert_eq!(summarize_gaps(&[], &[]).expect("empty"), Summary::default());
    }

    #[test]
    fn rejects_mismatched_arrays() {
        let t = times(2);
        assert!(record(&[3], t.view(), 0, 1, SystemTime::UNIX_EPOCH).is_err());
    }

    #[test]
    fn percentile_distribution_is_hdrhistogram_text() {
        let mut h = new_histogram().expect("hist");
        for v in 1..=1000u64 {
            h.record(v * 1000).expect("record");
        }
        let text = percentile_distribution(&h, 1000.0);
        assert!(text.starts_with("       Value     Percentile TotalCount 1/(1-Percentile)\n\n"));
        assert!(text.contains("#[Max     =     1000.447, Total count    =         1000]"), "{text}");
        let last_data = text.lines().rfind(|l| !l.starts_with('#') && !l.is_empty()).expect("rows");
        assert!(last_data.contains("1.000000000000       1000"), "{last_data}");
    }
}
