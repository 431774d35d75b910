//! KMS keys.

use serde::{Deserialize, Serialize};

use super::iam::PolicyDocument;
use crate::model::{ResourceMeta, Value};

/// A KMS key (`aws_kms_key`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct KmsKey {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `customer_master_key_spec`; `Defaulted("SYMMETRIC_DEFAULT")`.
    pub key_spec: Value<String>,
    /// `key_usage`; `Defaulted("ENCRYPT_DECRYPT")`.
    pub key_usage: Value<String>,
    /// `enable_key_rotation`; `Defaulted(false)` (provider docs: "Defaults to `false`").
    pub rotation_enabled: Value<bool>,
    /// `deletion_window_in_days`: the waiting period between scheduling the key's deletion
    /// and its destruction; `Defaulted(30)` (provider docs and KMS `ScheduleKeyDeletion`:
    /// "If you do not specify a value, it defaults to 30"; allowed 7 to 30).
    pub deletion_window_days: Value<i64>,
    /// The key policy (`policy`, `GetKeyPolicy` with the policy name `default`);
    /// `Defaulted` empty without one: KMS then applies the default key policy, which
    /// gives access to the owner account only.
    pub policy: Value<PolicyDocument>,
}
