//! What every object of the module starts from: the scenario metadata as JSON, and a fresh
//! engine for it that carries the gate's canary (`HOTPATH_CANARY`) like every other.

use hotpath_core::engine::{Canary, Engine};
use hotpath_core::format::ScenarioMeta;
use pyo3::prelude::*;

use crate::error::to_py;

/// The scenario metadata in `meta_json`, checked (`MetadataError` naming the field).
pub fn scenario_meta(meta_json: &str) -> PyResult<ScenarioMeta> {
    ScenarioMeta::from_json("<metadata>", meta_json.as_bytes()).map_err(to_py)
}

/// A fresh engine for `meta_json`, with the canary the environment asks for.
pub fn session_engine(meta_json: &str) -> PyResult<Engine> {
    let mut engine = Engine::new(&scenario_meta(meta_json)?).map_err(to_py)?;
    engine.set_canary(Canary::from_env().map_err(to_py)?);
    Ok(engine)
}
