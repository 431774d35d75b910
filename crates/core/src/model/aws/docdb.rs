//! Amazon DocumentDB clusters.

use serde::{Deserialize, Serialize};

use crate::model::{ResourceMeta, Value};

/// A DocumentDB cluster (`aws_docdb_cluster`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DocDbCluster {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `storage_encrypted`; `Defaulted(false)` (provider docs: "Default is `false`");
    /// unknown for a cluster restored from a snapshot without it (encryption follows the
    /// snapshot).
    pub storage_encrypted: Value<bool>,
    /// `enabled_cloudwatch_logs_exports`: the log types published to CloudWatch Logs
    /// (`audit`, ...); `Defaulted(empty)`.
    pub log_exports: Value<Vec<String>>,
}
