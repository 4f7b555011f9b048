//! Scenario metadata: instruments, venues, accounts and their risk limits (JSON, schema 1).

use serde::{Deserialize, Serialize};

use super::meta_fields::check_field_types;
use crate::error::CoreError;

/// The metadata block of a scenario file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioMeta {
    /// Metadata schema version (1).
    pub schema: u32,
    /// Scenario name.
    #[serde(default)]
    pub name: String,
    /// Instruments, indexed by id.
    pub instruments: Vec<InstrumentMeta>,
    /// Venues, indexed by id.
    pub venues: Vec<VenueMeta>,
    /// Accounts, indexed by id.
    pub accounts: Vec<AccountMeta>,
}

/// One tradable instrument.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstrumentMeta {
    /// Dense id (equals its index).
    pub id: u16,
    /// Display symbol.
    #[serde(default)]
    pub symbol: String,
    /// Price grid in price units (> 0).
    pub tick_size: i64,
    /// Quantity grid in quantity units (> 0).
    pub lot_size: i64,
    /// Largest order quantity accepted.
    pub max_order_qty: i64,
    /// Largest order price accepted.
    pub max_price: i64,
    /// Collar half-width in basis points of the reference price.
    pub band_bps: i64,
}

/// One venue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VenueMeta {
    /// Dense id (equals its index, below 255).
    pub id: u8,
    /// Display name.
    #[serde(default)]
    pub name: String,
}

/// One trading account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountMeta {
    /// Dense id (equals its index).
    pub id: u16,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Pre-trade risk limits.
    pub limits: AccountLimits,
}

/// Pre-trade risk limits of one account (`docs/pipeline.md`, stage 2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountLimits {
    /// Largest `price × qty` of one order.
    pub max_order_notional: i64,
    /// Cap on gross exposure plus open notional plus the new order's notional.
    pub max_gross_notional: i64,
    /// Absolute position cap per instrument, indexed by instrument id.
    pub max_position: Vec<i64>,
    /// Accepted NEW/REPLACE allowed in the trailing window.
    pub rate_limit_count: u32,
    /// Length of the throttle window in ns.
    pub rate_limit_window_ns: u64,
    /// Cap on live orders.
    pub max_open_orders: u32,
    /// The kill switch trips when PnL falls below `-max_loss`.
    pub max_loss: i64,
}

impl ScenarioMeta {
    /// Parses metadata JSON and checks that it is a usable configuration.
    ///
    /// # Errors
    /// [`CoreError::Metadata`] naming the field that is missing or out of range.
    pub fn from_json(file: &str, json: &[u8]) -> Result<Self, CoreError> {
        let error = |message: String| CoreError::Metadata { file: file.to_owned(), message };
        let value: serde_json::Value = serde_json::from_slice(json).map_err(|e| error(e.to_string()))?;
        check_field_types(&value).map_err(|f| error(f.to_string()))?;
        let meta = ScenarioMeta::deserialize(value).map_err(|e| error(e.to_string()))?;
        meta.validate(file)?;
        Ok(meta)
    }

    /// Checks ids are dense and every limit is in range.
    ///
    /// # Errors
    /// [`CoreError::Metadata`] naming the offending field.
    pub fn validate(&self, file: &str) -> Result<(), CoreError> {
        self.check().map_err(|f| CoreError::Metadata { file: file.to_owned(), message: f.to_string() })
    }

    /// The rules of [`validate`](Self::validate), with the offending field apart from the
    /// message, for callers that map it back to where the value came from.
    ///
    /// # Errors
    /// The first [`MetaFault`].
    pub fn check(&self) -> Result<(), MetaFault> {
        let bad = |field: String, message: String| Err(MetaFault { field, message });
        if self.schema != 1 {
            return bad("schema".into(), format!("{} is not supported (expected 1)", self.schema));
        }
        if self.venues.is_empty() || self.venues.len() > 255 {
            return bad(
                "venues".into(),
                format!("has {} entries; between 1 and 255 are supported", self.venues.len()),
            );
        }
        for (i, v) in self.venues.iter().enumerate() {
            if usize::from(v.id) != i {
                return bad(
                    format!("venues[{i}].id"),
                    format!("is {}, ids must be dense (expected {i})", v.id),
                );
            }
        }
        for (i, ins) in self.instruments.iter().enumerate() {
            if usize::from(ins.id) != i {
                return bad(
                    format!("instruments[{i}].id"),
                    format!("is {}, ids must be dense (expected {i})", ins.id),
                );
            }
            for (field, value) in [
                ("tick_size", ins.tick_size),
                ("lot_size", ins.lot_size),
                ("max_order_qty", ins.max_order_qty),
                ("max_price", ins.max_price),
            ] {
                if value <= 0 {
                    return bad(format!("instruments[{i}].{field}"), format!("must be > 0, got {value}"));
                }
            }
            if ins.band_bps < 0 {
                return bad(
                    format!("instruments[{i}].band_bps"),
                    format!("must be >= 0, got {}", ins.band_bps),
                );
            }
        }
        for (i, a) in self.accounts.iter().enumerate() {
            if usize::from(a.id) != i {
                return bad(
                    format!("accounts[{i}].id"),
                    format!("is {}, ids must be dense (expected {i})", a.id),
                );
            }
            let l = &a.limits;
            if l.max_position.len() != self.instruments.len() {
                return bad(
                    format!("accounts[{i}].limits.max_position"),
                    format!(
                        "has {} entries, expected one per instrument ({})",
                        l.max_position.len(),
                        self.instruments.len()
                    ),
                );
            }
            for (field, value) in [
                ("max_order_notional", l.max_order_notional),
                ("max_gross_notional", l.max_gross_notional),
                ("max_loss", l.max_loss),
            ] {
                if value < 0 {
                    return bad(
                        format!("accounts[{i}].limits.{field}"),
                        format!("must be >= 0, got {value}"),
                    );
                }
            }
            if let Some(p) = l.max_position.iter().position(|p| *p < 0) {
                return bad(format!("accounts[{i}].limits.max_position[{p}]"), "must be >= 0".into());
            }
        }
        Ok(())
    }
}

/// A metadata rule that [`ScenarioMeta::check`] found broken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetaFault {
    /// Path of the field, e.g. `instruments[0].tick_size`.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl std::fmt::Display for MetaFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.field, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample_json() -> String {
        r#"{"schema":1,"name":"t","extra":{"ignored":true},
            "instruments":[{"id":0,"symbol":"BTC","tick_size":10,"lot_size":5,"max_order_qty":1000,
                            "max_price":1000000,"band_bps":500,"price_decimals":2,"qty_decimals":3}],
            "venues":[{"id":0,"name":"a"},{"id":1,"name":"b"}],
            "accounts":[{"id":0,"name":"mm","limits":{"max_order_notional":100,"max_gross_notional":1000,
                         "max_position":[50],"rate_limit_count":3,"rate_limit_window_ns":1000,
                         "max_open_orders":4,"max_loss":10}}]}"#
            .to_owned()
    }

    #[test]
    fn parses_and_ignores_unknown_keys() {
        let m = ScenarioMeta::from_json("f", sample_json().as_bytes()).expect("valid");
        assert_eq!(m.instruments[0].tick_size, 10);
        assert_eq!(m.accounts[0].limits.max_position, vec![50]);
    }

    #[test]
    fn rejects_sparse_ids_and_bad_limits_naming_the_field() {
        let cases = [
            (
                r#""venues":[{"id":0,"name":"a"},{"id":1,"name":"b"}]"#,
                r#""venues":[{"id":1,"name":"a"}]"#,
                "venues[0].id",
            ),
            (r#""tick_size":10"#, r#""tick_size":0"#, "instruments[0].tick_size"),
            (r#""max_position":[50]"#, r#""max_position":[]"#, "max_position"),
            (r#""max_loss":10"#, r#""max_loss":-1"#, "max_loss"),
        ];
        for (from, to, field) in cases {
            let json = sample_json().replace(from, to);
            assert_ne!(json, sample_json(), "case {field} did not apply");
            let e = ScenarioMeta::from_json("f.hpe", json.as_bytes()).expect_err(field);
            assert!(e.to_string().contains(field), "{e}");
            assert!(e.to_string().starts_with("f.hpe"), "{e}");
        }
        assert!(ScenarioMeta::from_json("f", b"{not json").is_err());
    }
}
