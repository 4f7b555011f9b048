//! Scenario generation for Python: `validate_scenario_config`, `generate_scenario` and
//! `overlay_strategy`.
//!
//! Records cross the boundary as numpy `uint64` arrays of six little-endian words per
//! record (the file layout, 8-byte aligned); `hotpath_lab.scenarios.generate` views them as
//! `EVENT_DTYPE`. Generation runs with the GIL released.

use hotpath_scenario::ScenarioError;
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;

use crate::buffers::slice;
use crate::error::ToolkitError;

/// Checks a generator config JSON without generating (see `docs/scenarios.md`): the one
/// place a manifest's rules are checked. Raises `ScenarioConfigError` naming the field.
#[pyfunction]
fn validate_scenario_config(config_json: &str) -> Result<(), ToolkitError> {
    Ok(hotpath_scenario::validate_json(config_json)?)
}

/// Generates a scenario from the generator config JSON (see `docs/scenarios.md`).
///
/// Returns `(words, stats_json)`: the records as `uint64` words (view them as
/// `EVENT_DTYPE`) and the run's counters as JSON.
#[pyfunction]
#[pyo3(signature = (config_json, seed, scale = 1.0))]
fn generate_scenario<'py>(
    py: Python<'py>,
    config_json: &str,
    seed: u64,
    scale: f64,
) -> Result<(Bound<'py, PyArray1<u64>>, String), ToolkitError> {
    let config = config_json.to_owned();
    let (words, stats) = py.detach(move || -> Result<_, ScenarioError> {
        let g = hotpath_scenario::generate_json(&config, seed, scale)?;
        let stats = serde_json::to_string(&g.stats).map_err(ScenarioError::from)?;
        Ok((hotpath_scenario::words::to_words(&g.events), stats))
    })?;
    Ok((PyArray1::from_vec(py, words), stats))
}

/// Lays the strategy of the overlay config JSON (`{"meta": ..., "strategy": ...}`) over a
/// market-data stream given as the bytes of its records (a contiguous `uint8` view of an
/// `EVENT_DTYPE` array). Returns `(words, stats_json)` like `generate_scenario`.
#[pyfunction]
#[pyo3(signature = (market, config_json, seed))]
fn overlay_strategy<'py>(
    py: Python<'py>,
    market: PyReadonlyArray1<'py, u8>,
    config_json: &str,
    seed: u64,
) -> Result<(Bound<'py, PyArray1<u64>>, String), ToolkitError> {
    // Copied while the GIL is held: Python code may not change the array under us.
    let events = hotpath_scenario::words::from_le_bytes(slice("market", &market)?)?;
    let config = config_json.to_owned();
    let (words, stats) = py.detach(move || -> Result<_, ScenarioError> {
        let g = hotpath_scenario::overlay_json(&events, &config, seed)?;
        let stats = serde_json::to_string(&g.stats).map_err(ScenarioError::from)?;
        Ok((hotpath_scenario::words::to_words(&g.events), stats))
    })?;
    Ok((PyArray1::from_vec(py, words), stats))
}

/// Adds the scenario functions and the generator version to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("GENERATOR", hotpath_scenario::generator_version())?;
    m.add_function(wrap_pyfunction!(validate_scenario_config, m)?)?;
    m.add_function(wrap_pyfunction!(generate_scenario, m)?)?;
    m.add_function(wrap_pyfunction!(overlay_strategy, m)?)?;
    Ok(())
}
