//! Resource tags (`tags`), as far as the scanner can know them.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

/// The tags written on a resource. The whole map is a [`crate::model::Value`] (unknown
/// when `tags` comes from a variable without a value); single values can still be unknown.
/// Tags added by a provider's `default_tags` are not part of it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Tags {
    /// Tags whose value is known.
    pub known: BTreeMap<String, String>,
    /// Tags whose key is known but whose value is not, with the reason.
    pub unknown_values: BTreeMap<String, Arc<str>>,
}

/// What a tag lookup finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagLookup<'a> {
    /// The tag is not written.
    Absent,
    /// The tag's value.
    Value(&'a str),
    /// The tag is written but its value is unknown.
    Unknown(&'a str),
}

impl Tags {
    /// The tag `key` (exact, case-sensitive as in AWS).
    pub fn get(&self, key: &str) -> TagLookup<'_> {
        if let Some(v) = self.known.get(key) {
            return TagLookup::Value(v);
        }
        match self.unknown_values.get(key) {
            Some(r) => TagLookup::Unknown(r),
            None => TagLookup::Absent,
        }
    }

    /// Whether tag `key` has one of `values` (compared case-insensitively); `None` when its
    /// value is unknown.
    pub fn has_one_of(&self, key: &str, values: &[String]) -> Option<bool> {
        match self.get(key) {
            TagLookup::Absent => Some(false),
            TagLookup::Value(v) => Some(values.iter().any(|w| w.eq_ignore_ascii_case(v.trim()))),
            TagLookup::Unknown(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup() {
        let mut t = Tags::default();
        t.known
            .insert("DataClassification".into(), "Confidential".into());
        t.unknown_values
            .insert("Criticality".into(), "var.c has no value".into());
        let vals = vec!["confidential".to_string()];
        assert_eq!(t.has_one_of("DataClassification", &vals), Some(true));
        assert_eq!(t.has_one_of("Criticality", &vals), None);
        assert_eq!(t.has_one_of("Owner", &vals), Some(false));
        assert_eq!(t.get("Owner"), TagLookup::Absent);
    }
}
