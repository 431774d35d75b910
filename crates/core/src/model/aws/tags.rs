//! Resource tags (`tags`), as far as the scanner can know them.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::model::{Resolved, Value};

/// The tags written on a resource. The whole map is a [`crate::model::Value`] (unknown
/// when `tags` comes from a variable without a value); single values can still be unknown.
/// Tags added by a provider's `default_tags` are not part of it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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

impl Value<Tags> {
    /// Whether tag `key` has one of `values` (compared case-insensitively), as a value at
    /// the tags' origin and path. Unknown when the whole map is unknown — the reason then
    /// says that the `owner`'s `meaning` is unknown ("the bucket's tags are unknown (…), so
    /// its criticality is unknown") — or when the tag's value is.
    pub fn tag_in(&self, key: &str, values: &[String], owner: &str, meaning: &str) -> Value<bool> {
        let unknown =
            |reason: String| Value::unknown(reason, self.origin.clone(), self.path.clone());
        let tags = match &self.value {
            Resolved::Set(t) | Resolved::Defaulted(t) => t,
            Resolved::Unknown(r) => {
                return unknown(format!(
                    "the {owner}'s tags are unknown ({r}), so its {meaning} is unknown"
                ))
            }
        };
        match tags.has_one_of(key, values) {
            Some(found) => self.map(|_| found),
            None => unknown(format!("the value of tag {key} is unknown")),
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

    #[test]
    fn tag_in_keeps_the_tags_origin_and_says_why_it_is_unknown() {
        let at = crate::model::Origin::File {
            path: "a.tf".into(),
            line: 3,
            col: 1,
            end_line: 3,
        };
        let mut t = Tags::default();
        t.known.insert("Criticality".into(), " Critical ".into());
        t.unknown_values
            .insert("Tier".into(), "var.tier has no value".into());
        let tags = Value::set(t, at.clone(), "tags");
        let vals = vec!["critical".to_string()];
        let found = tags.tag_in("Criticality", &vals, "bucket", "criticality");
        assert_eq!(found, Value::set(true, at.clone(), "tags"));
        let absent = tags.tag_in("Owner", &vals, "bucket", "criticality");
        assert_eq!(absent.value, Resolved::Set(false));
        let tier = tags.tag_in("Tier", &vals, "bucket", "criticality");
        assert_eq!(
            tier.unknown_reason(),
            Some("the value of tag Tier is unknown")
        );
        let whole: Value<Tags> = Value::unknown("var.tags has no value", at, "tags");
        assert_eq!(
            whole
                .tag_in("Criticality", &vals, "bucket", "criticality")
                .unknown_reason(),
            Some("the bucket's tags are unknown (var.tags has no value), so its criticality is unknown")
        );
    }
}
