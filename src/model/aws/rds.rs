//! RDS DB instances and Aurora / Multi-AZ DB clusters.

use serde::Serialize;

use crate::model::{ResourceMeta, Value};

/// A DB instance (`aws_db_instance`, or an Aurora member `aws_rds_cluster_instance`).
#[derive(Debug, Clone, Serialize)]
pub struct DbInstance {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// Engine (`mysql`, `postgres`, `aurora-postgresql`, ...).
    pub engine: Value<String>,
    /// Address of the cluster this instance belongs to (Aurora members), when known. The
    /// cluster then owns storage encryption and backups.
    pub cluster: Option<Value<String>>,
    /// Whether the instance is a read replica (`replicate_source_db`); replicas inherit
    /// encryption from their source and do not need their own automated backups.
    pub is_replica: bool,
    /// `storage_encrypted`; `Defaulted(false)` (provider docs: "The default is `false` if
    /// not specified"; RDS API `CreateDBInstance`: "By default, it isn't encrypted").
    pub storage_encrypted: Value<bool>,
    /// `publicly_accessible`; `Defaulted(false)` (provider docs, both resource types).
    pub publicly_accessible: Value<bool>,
    /// `backup_retention_period` in days; `Defaulted(1)`: the provider leaves it to the
    /// RDS API, whose `CreateDBInstance` default is 1 day (RDS User Guide, "Backup
    /// retention period").
    pub backup_retention_days: Value<i64>,
    /// `multi_az`; `Defaulted(false)`.
    pub multi_az: Value<bool>,
    /// `deletion_protection`; `Defaulted(false)`.
    pub deletion_protection: Value<bool>,
}

/// A DB cluster (`aws_rds_cluster`: Aurora or Multi-AZ DB cluster).
#[derive(Debug, Clone, Serialize)]
pub struct DbCluster {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// Engine (`aurora-mysql`, `aurora-postgresql`, `mysql`, `postgres`).
    pub engine: Value<String>,
    /// `engine_mode`; `Defaulted("provisioned")`.
    pub engine_mode: Value<String>,
    /// Whether this is a secondary cluster of a global database or a replica
    /// (`replication_source_identifier`); encryption follows the source.
    pub is_replica: bool,
    /// `storage_encrypted`; provider docs: "The default is `false` for `provisioned`
    /// `engine_mode` and `true` for `serverless` `engine_mode`".
    pub storage_encrypted: Value<bool>,
    /// `backup_retention_period` in days; `Defaulted(1)` (provider docs: "Default `1`").
    pub backup_retention_days: Value<i64>,
    /// `deletion_protection`; `Defaulted(false)`.
    pub deletion_protection: Value<bool>,
}
