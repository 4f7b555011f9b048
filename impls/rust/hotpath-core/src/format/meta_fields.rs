//! The type of every metadata field a reader uses (`docs/formats.md`, "Metadata field
//! types"), checked on the JSON value before it is read into [`ScenarioMeta`](super::ScenarioMeta),
//! so a value the Rust type cannot hold (an instrument's `tick_size = 2**70`) is refused naming
//! its field. `hotpath_format.meta_fields` declares the same table; the contract test holds
//! the two equal, so both readers refuse the same files.

use serde_json::Value;

use super::MetaFault;

/// What a metadata field must hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// A JSON string.
    String,
    /// A JSON integer within `min..=max` (the range of the Rust type that holds it).
    Integer {
        /// The type's name (`u8`, `u16`, `u32`, `u64`, `i64`).
        name: &'static str,
        /// Smallest value the type holds.
        min: i128,
        /// Largest value the type holds.
        max: i128,
    },
}

const fn int(name: &'static str, min: i128, max: i128) -> FieldType {
    FieldType::Integer { name, min, max }
}

const U8: FieldType = int("u8", 0, u8::MAX as i128);
const U16: FieldType = int("u16", 0, u16::MAX as i128);
const U32: FieldType = int("u32", 0, u32::MAX as i128);
const U64: FieldType = int("u64", 0, u64::MAX as i128);
const I64: FieldType = int("i64", i64::MIN as i128, i64::MAX as i128);

/// Every field a reader uses, by path (`[]`: each element of a list), with its type. A field
/// that is absent is left to the reader (required ones are reported missing there); present,
/// it must hold its type. `price_decimals`/`qty_decimals` are display only (the engine does not
/// read them) but have a type all the same, so a reader that shows them cannot be handed junk.
pub const METADATA_FIELDS: &[(&str, FieldType)] = &[
    ("schema", U32),
    ("name", FieldType::String),
    ("instruments[].id", U16),
    ("instruments[].symbol", FieldType::String),
    ("instruments[].tick_size", I64),
    ("instruments[].lot_size", I64),
    ("instruments[].max_order_qty", I64),
    ("instruments[].max_price", I64),
    ("instruments[].band_bps", I64),
    ("instruments[].price_decimals", U8),
    ("instruments[].qty_decimals", U8),
    ("venues[].id", U8),
    ("venues[].name", FieldType::String),
    ("accounts[].id", U16),
    ("accounts[].name", FieldType::String),
    ("accounts[].limits.max_order_notional", I64),
    ("accounts[].limits.max_gross_notional", I64),
    ("accounts[].limits.max_position[]", I64),
    ("accounts[].limits.rate_limit_count", U32),
    ("accounts[].limits.rate_limit_window_ns", U64),
    ("accounts[].limits.max_open_orders", U32),
    ("accounts[].limits.max_loss", I64),
];

/// Checks every field of [`METADATA_FIELDS`] present in `root`.
///
/// # Errors
/// The first field (in table order, then list order) that does not hold its type.
pub fn check_field_types(root: &Value) -> Result<(), MetaFault> {
    for (path, ty) in METADATA_FIELDS {
        let segments: Vec<&str> = path.split('.').collect();
        walk(root, &segments, String::new(), *ty)?;
    }
    Ok(())
}

fn walk(value: &Value, segments: &[&str], at: String, ty: FieldType) -> Result<(), MetaFault> {
    let Some((segment, rest)) = segments.split_first() else {
        return check_leaf(value, at, ty);
    };
    let (key, each) = match segment.strip_suffix("[]") {
        Some(key) => (key, true),
        None => (*segment, false),
    };
    // a container of the wrong shape is the typed reader's to report
    let Some(child) = value.as_object().and_then(|o| o.get(key)) else { return Ok(()) };
    let here = if at.is_empty() { key.to_owned() } else { format!("{at}.{key}") };
    if !each {
        return walk(child, rest, here, ty);
    }
    let Some(items) = child.as_array() else { return Ok(()) };
    for (i, item) in items.iter().enumerate() {
        walk(item, rest, format!("{here}[{i}]"), ty)?;
    }
    Ok(())
}

fn check_leaf(value: &Value, field: String, ty: FieldType) -> Result<(), MetaFault> {
    match ty {
        FieldType::String if value.is_string() => Ok(()),
        FieldType::String => Err(MetaFault { field, message: format!("must be a string, got {value}") }),
        FieldType::Integer { name, min, max } => {
            let n = value.as_i64().map(i128::from).or_else(|| value.as_u64().map(i128::from));
            match n {
                Some(n) if (min..=max).contains(&n) => Ok(()),
                _ => Err(MetaFault {
                    field,
                    message: format!("must be an integer in [{min}, {max}] ({name}), got {value}"),
                }),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(json: &str) -> Option<MetaFault> {
        check_field_types(&serde_json::from_str(json).expect("json")).err()
    }

    #[test]
    fn names_the_field_of_a_value_its_type_cannot_hold() {
        let f = fault(r#"{"instruments":[{"tick_size":1},{"tick_size":1180591620717411303424}]}"#)
            .expect("2**70 is beyond i64");
        assert_eq!(f.field, "instruments[1].tick_size");
        let f = fault(r#"{"accounts":[{"limits":{"max_position":[1,-1,true]}}]}"#).expect("bool");
        assert_eq!(f.field, "accounts[0].limits.max_position[2]");
        assert_eq!(fault(r#"{"venues":[{"id":256}]}"#).expect("u8").field, "venues[0].id");
        assert_eq!(fault(r#"{"name":7}"#).expect("string").field, "name");
        assert_eq!(fault(r#"{"schema":1.0}"#).expect("float").field, "schema");
    }

    #[test]
    fn leaves_absent_fields_and_other_shapes_to_the_reader() {
        assert!(fault(r#"{"instruments":{"tick_size":"x"},"accounts":[{"limits":[]}],"x":1}"#).is_none());
        assert!(fault(r#"{"accounts":[{"limits":{"rate_limit_window_ns":18446744073709551615}}]}"#).is_none());
    }
}
