//! CloudTrail trails.

use serde::Serialize;

use crate::model::{ResourceMeta, Value};

/// A trail (`aws_cloudtrail`).
#[derive(Debug, Clone, Serialize)]
pub struct Trail {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `is_multi_region_trail`; `Defaulted(false)` (provider docs).
    pub multi_region: Value<bool>,
    /// `enable_log_file_validation`; `Defaulted(false)` (provider docs).
    pub log_file_validation: Value<bool>,
    /// `enable_logging`; `Defaulted(true)`.
    pub logging_enabled: Value<bool>,
    /// `kms_key_id`; `Defaulted(None)` (SSE-S3 on the log bucket).
    pub kms_key: Value<Option<String>>,
}
