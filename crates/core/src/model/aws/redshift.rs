//! Amazon Redshift provisioned clusters.

use serde::{Deserialize, Serialize};

use crate::model::{ResourceMeta, Value};

/// A Redshift cluster (`aws_redshift_cluster`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RedshiftCluster {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `encrypted`; `Defaulted(false)`: the provider's default before version 6.0 (written
    /// to the API explicitly, so the cluster is created unencrypted); version 6.0 changed
    /// the default to `true`, which the configuration does not show.
    pub encrypted: Value<bool>,
    /// `kms_key_id`; `Defaulted(None)` (the AWS managed key `aws/redshift`).
    pub kms_key: Value<Option<String>>,
    /// `automated_snapshot_retention_period` in days; `Defaulted(1)` (provider docs:
    /// "Default is 1"); 0 disables automated snapshots.
    pub snapshot_retention_days: Value<i64>,
    /// `publicly_accessible`; `Defaulted(false)`: the default since AWS provider 5.0
    /// (provider docs and upgrade guide; versions before 5.0 defaulted to `true`).
    pub publicly_accessible: Value<bool>,
}
