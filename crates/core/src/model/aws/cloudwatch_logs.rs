//! Amazon CloudWatch Logs log groups.

use serde::{Deserialize, Serialize};

use crate::model::{ResourceMeta, Value};

/// A log group (`aws_cloudwatch_log_group`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LogGroup {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `name`; unknown when generated (`name_prefix`, no name) or computed.
    pub name: Value<String>,
    /// `kms_key_id`; `Defaulted(None)`: log data is encrypted with a CloudWatch Logs
    /// service key, with no key policy of the customer's in front of it.
    pub kms_key: Value<Option<String>>,
    /// `retention_in_days`; `Defaulted(0)`, meaning the events never expire (provider
    /// docs: "If you select 0, the events in the log group are always retained and never
    /// expire"; the default when not written).
    pub retention_days: Value<i64>,
}
