//! Drift between what Terraform declares and what runs (`soc2scan drift`): the
//! comparisons the drift command makes between a declared model (Terraform sources
//! evaluated with their variables, or a state) and a live one, field by field. The
//! drift rules (`DRIFT-001` to `DRIFT-003`) read these; a normal scan leaves them empty.
//!
//! Every entry keeps the identity of the managed resource (its Terraform address, and
//! the root module or state as [`ResourceMeta::scope`]) and the live resource's
//! [`Origin::Aws`] (ARN, account, region), so findings name both.

use serde::{Deserialize, Serialize};

use crate::model::{Origin, ResourceMeta, Value};

/// What the drift command compared.
#[derive(Debug, Default, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct DriftModel {
    /// One entry per compared field of every managed resource found live.
    pub fields: Vec<FieldComparison>,
    /// Live resources that no state of the run manages.
    pub unmanaged: Vec<UnmanagedResource>,
    /// Managed resources of a state, each with whether it was found live.
    pub managed: Vec<ManagedPresence>,
}

impl DriftModel {
    /// The name of every collection, as the drift rules declare what they read.
    pub const COLLECTIONS: &'static [&'static str] =
        &["drift.fields", "drift.unmanaged", "drift.managed"];

    /// Whether nothing was compared (every scan but `soc2scan drift`).
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.unmanaged.is_empty() && self.managed.is_empty()
    }

    /// Appends the entries of `other`.
    pub fn extend(&mut self, other: DriftModel) {
        self.fields.extend(other.fields);
        self.unmanaged.extend(other.unmanaged);
        self.managed.extend(other.managed);
    }
}

/// One field of a managed resource, declared and live. The values are the model's typed
/// values as JSON (secrets are already masked by the model's own types).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FieldComparison {
    /// The managed resource: its Terraform address, type and scope (root module or
    /// state); `origin` is the live resource ([`Origin::Aws`]).
    pub meta: ResourceMeta,
    /// The model collection (`aws.s3_buckets`).
    pub collection: String,
    /// The field's path in the model (`sse_algorithm`, `public_access_block.block_public_acls`).
    pub field: String,
    /// The declared value: origin at the declaration (`.tf` file or state).
    pub declared: Value<serde_json::Value>,
    /// The live value.
    pub live: Value<serde_json::Value>,
    /// The rules that read the collection, with their criteria (`AWS-S3-001 (CC6.1, C1.1)`).
    pub read_by: Vec<String>,
    /// The SOC 2 criteria of those rules, in catalog order: what a `DRIFT-001` result of
    /// this field gives evidence for besides the rule's own CC8.1.
    #[serde(default)]
    pub criteria: Vec<String>,
}

/// A live resource no state of the run manages.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UnmanagedResource {
    /// The live resource.
    pub meta: ResourceMeta,
    /// The model collection (`aws.s3_buckets`).
    pub collection: String,
    /// Set when the project policy allows it (`[drift] unmanaged_allow`): the entry that
    /// matched.
    pub allowed_by: Option<String>,
    /// Set when no entry allows it, some entry is a tag entry, and the resource's tags
    /// were not read (the tagging API denied or failed in its region, or a kind whose
    /// tags the live scan does not read): why the tag entries could not be checked.
    #[serde(default)]
    pub tags_not_read: Option<String>,
}

/// A managed resource of a state and whether it exists live.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ManagedPresence {
    /// The managed resource: Terraform address, type, scope; origin at its declaration.
    pub meta: ResourceMeta,
    /// The model collection.
    pub collection: String,
    /// The resource's ARN or id, as the state records it.
    pub identifier: String,
    /// Whether it was found live: `Set(true)` found, `Set(false)` not found where the
    /// collection was read completely, unknown when the collection was not read (or not
    /// completely) in its account and region, or those are not known.
    pub found: Value<bool>,
    /// Where the resource should be live (`aws:123456789012/eu-west-1`), when known.
    pub live_scope: Option<String>,
}

/// The live origin of a drift entry, when its resource was found live.
pub fn live_origin(meta: &ResourceMeta) -> Option<&Origin> {
    matches!(meta.origin, Origin::Aws { .. }).then_some(&meta.origin)
}

/// Whether a declared and a live value are the same setting: equal JSON, where an
/// absent value (`null`) and an empty string are the same (providers record an unset
/// string attribute as `""`, APIs leave it out), and lists are compared as sets of
/// their members when both are lists of strings (the model keeps the order a source
/// gives, which means nothing for CIDR ranges, grantees or actions).
pub fn same_setting(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    let blank = |v: &J| matches!(v, J::Null) || matches!(v, J::String(s) if s.is_empty());
    match (a, b) {
        _ if blank(a) && blank(b) => true,
        (J::Array(x), J::Array(y)) if x.iter().all(J::is_string) && y.iter().all(J::is_string) => {
            let mut x: Vec<&J> = x.iter().collect();
            let mut y: Vec<&J> = y.iter().collect();
            let key = |v: &&J| v.as_str().unwrap_or_default().to_string();
            x.sort_by_key(key);
            y.sort_by_key(key);
            x.dedup();
            y.dedup();
            x == y
        }
        (J::Array(x), J::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_setting(p, q))
        }
        (J::Object(x), J::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter()
                .all(|k| same_setting(x.get(k).unwrap_or(&J::Null), y.get(k).unwrap_or(&J::Null)))
        }
        _ => a == b,
    }
}

/// A value for a message: compact JSON, cut after 120 characters; `***` when the field's
/// name says it holds a secret.
pub fn show(field: &str, v: &serde_json::Value) -> String {
    if crate::secrets::name_looks_secret(field.rsplit('.').next().unwrap_or(field)) {
        return "***".into();
    }
    let s = match v {
        serde_json::Value::Null => "(not set)".to_string(),
        other => other.to_string(),
    };
    if s.chars().count() > 120 {
        let cut: String = s.chars().take(117).collect();
        format!("{cut}...")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn same_setting_ignores_blank_and_order() {
        assert!(same_setting(&json!(null), &json!("")));
        assert!(same_setting(&json!(["b", "a"]), &json!(["a", "b"])));
        assert!(same_setting(&json!({"k": "", "x": 1}), &json!({"x": 1})));
        assert!(!same_setting(&json!("AES256"), &json!("aws:kms")));
        assert!(!same_setting(&json!([1, 2]), &json!([2, 1])));
        assert_eq!(show("db_password", &json!("hunter2")), "***");
        assert_eq!(show("sse_algorithm", &json!(null)), "(not set)");
    }
}
