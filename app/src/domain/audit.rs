//! What an audit event says beyond who, what and when: a few details, kept deliberately simple
//! — ASCII keys and values that are strings, integers, booleans or null — so that the chain's
//! canonical form (the next issue) has nothing to normalize.

use serde::{Deserialize, Serialize};

/// One detail's value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DetailValue {
    Text(String),
    Int(i64),
    Bool(bool),
    Null,
}

/// The details of an event, in the order they were given; keys are ASCII identifiers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Details(Vec<(&'static str, DetailValue)>);

impl Details {
    pub fn new() -> Self {
        Details::default()
    }

    /// Adds `key` (ASCII letters, digits and `_`; anything else is a programming error and is
    /// dropped rather than stored).
    pub fn with(mut self, key: &'static str, value: impl Into<DetailValue>) -> Self {
        let ascii = !key.is_empty()
            && key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        debug_assert!(ascii, "detail key {key:?}");
        if ascii {
            self.0.push((key, value.into()));
        }
        self
    }

    /// The details as a JSON object, keys sorted (one form for one set of details).
    pub fn to_json(&self) -> String {
        let map: std::collections::BTreeMap<&str, &DetailValue> =
            self.0.iter().map(|(k, v)| (*k, v)).collect();
        serde_json::to_string(&map).unwrap_or_else(|_| "{}".into())
    }
}

impl From<&str> for DetailValue {
    fn from(s: &str) -> Self {
        DetailValue::Text(s.to_string())
    }
}

impl From<String> for DetailValue {
    fn from(s: String) -> Self {
        DetailValue::Text(s)
    }
}

impl From<i64> for DetailValue {
    fn from(n: i64) -> Self {
        DetailValue::Int(n)
    }
}

impl From<bool> for DetailValue {
    fn from(b: bool) -> Self {
        DetailValue::Bool(b)
    }
}

impl<T: Into<DetailValue>> From<Option<T>> for DetailValue {
    fn from(v: Option<T>) -> Self {
        v.map_or(DetailValue::Null, Into::into)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_are_a_json_object_with_sorted_keys_and_plain_values() {
        let d = Details::new()
            .with("revision", 3)
            .with("phase", "production")
            .with("reason", None::<&str>)
            .with("demo", false);
        assert_eq!(
            d.to_json(),
            r#"{"demo":false,"phase":"production","reason":null,"revision":3}"#
        );
        assert_eq!(Details::new().to_json(), "{}");
        // Text is JSON-escaped, never raw.
        let quoted = Details::new().with("name", "a\"b\n");
        assert_eq!(quoted.to_json(), r#"{"name":"a\"b\n"}"#);
    }
}
