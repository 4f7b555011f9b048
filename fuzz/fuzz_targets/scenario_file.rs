//! A scenario or report file from outside. The reader checks the header, the length, the
//! metadata and every record; a scenario it accepts is then replayed through the engine, as
//! `bench` would. Refusing is fine; a panic (overflow, index out of bounds), an abort or an
//! allocation past libFuzzer's limit is a finding.
#![no_main]

use hotpath_core::format::{check_events, parse_file, EventRecord, ReportRecord, ScenarioMeta};
use hotpath_core::Engine;
use hotpath_fuzz::{Aligned, MAX_REPLAYED_EVENTS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let image = Aligned::new(data);
    let bytes = image.bytes();
    let _ = parse_file::<ReportRecord>("fuzz.hpr", bytes);
    let Ok(file) = parse_file::<EventRecord>("fuzz.hpe", bytes) else { return };
    let Ok(meta) = ScenarioMeta::from_json("fuzz.hpe", file.metadata) else { return };
    if check_events("fuzz.hpe", file.header.data_offset, file.records).is_err() {
        return;
    }
    let Ok(mut engine) = Engine::new(&meta) else { return };
    let events = &file.records[..file.records.len().min(MAX_REPLAYED_EVENTS)];
    let mut reports = Vec::new();
    engine.replay(events, &mut reports);
});
