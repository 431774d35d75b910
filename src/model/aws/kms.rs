//! KMS keys.

use serde::Serialize;

use crate::model::{ResourceMeta, Value};

/// A KMS key (`aws_kms_key`).
#[derive(Debug, Clone, Serialize)]
pub struct KmsKey {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `customer_master_key_spec`; `Defaulted("SYMMETRIC_DEFAULT")`.
    pub key_spec: Value<String>,
    /// `key_usage`; `Defaulted("ENCRYPT_DECRYPT")`.
    pub key_usage: Value<String>,
    /// `enable_key_rotation`; `Defaulted(false)` (provider docs: "Defaults to `false`").
    pub rotation_enabled: Value<bool>,
}
