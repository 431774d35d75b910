//! Amazon Kinesis data streams.

use serde::{Deserialize, Serialize};

use crate::model::{ResourceMeta, Value};

/// A Kinesis data stream (`aws_kinesis_stream`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct KinesisStream {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `encryption_type`, upper-cased: `KMS` or `NONE`; `Defaulted("NONE")` (provider
    /// docs: "The encryption type to use. The only acceptable values are `NONE` or `KMS`.
    /// The default value is `NONE`").
    pub encryption_type: Value<String>,
    /// `kms_key_id`; `Defaulted(None)`.
    pub kms_key: Value<Option<String>>,
    /// `retention_period` in hours; `Defaulted(24)`.
    pub retention_hours: Value<i64>,
}
