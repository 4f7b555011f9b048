//! Scenario metadata JSON from outside (a scenario file's metadata block, a wire START
//! frame). Metadata the reader accepts must build an engine or be refused with an error,
//! and must survive a write and re-read unchanged (the writer and the reader agree).
#![no_main]

use hotpath_core::format::ScenarioMeta;
use hotpath_core::Engine;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(meta) = ScenarioMeta::from_json("fuzz.json", data) else { return };
    let _ = Engine::new(&meta);
    let written = serde_json::to_vec(&meta).expect("accepted metadata serialises");
    let reread = ScenarioMeta::from_json("rewritten.json", &written).expect("written metadata re-reads");
    assert_eq!(reread, meta, "metadata changed in a write and re-read");
});
