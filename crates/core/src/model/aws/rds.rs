//! RDS DB instances and Aurora / Multi-AZ DB clusters.

use serde::{Deserialize, Serialize};

use crate::model::{ResourceMeta, Value};

/// The backup retention period, in days, of an instance or cluster that does not set
/// one: the RDS API's `CreateDBInstance`/`CreateDBCluster` default (RDS User Guide,
/// "Backup retention period"), which the Terraform provider leaves to the API. Every
/// source that meets an absent retention uses this one definition.
pub const DEFAULT_BACKUP_RETENTION_DAYS: i64 = 1;

/// The engine mode of a cluster that does not set one.
pub const DEFAULT_ENGINE_MODE: &str = "provisioned";

/// A DB instance (`aws_db_instance`, or an Aurora member `aws_rds_cluster_instance`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
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
    /// `enabled_cloudwatch_logs_exports`: the database logs exported to CloudWatch Logs
    /// (`audit`, `error`, `general`, `slowquery`, `postgresql`, ...); `Defaulted(empty)`
    /// (no export unless listed, provider docs).
    pub log_exports: Value<Vec<String>>,
    /// `engine_version`; `Defaulted("")` when not written (RDS then picks the engine's
    /// default version).
    pub engine_version: Value<String>,
    /// `parameter_group_name` (`db_parameter_group_name` for Aurora members);
    /// `Defaulted(Default)` when not written.
    pub parameter_group: Value<ParameterGroupRef>,
}

/// A DB cluster (`aws_rds_cluster`: Aurora or Multi-AZ DB cluster).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
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
    /// `enabled_cloudwatch_logs_exports`: the database logs exported to CloudWatch Logs
    /// (`audit`, `error`, `general`, `slowquery`, `postgresql`, ...); `Defaulted(empty)`
    /// (no export unless listed, provider docs).
    pub log_exports: Value<Vec<String>>,
    /// `engine_version`; `Defaulted("")` when not written.
    pub engine_version: Value<String>,
    /// `db_cluster_parameter_group_name`; `Defaulted(Default)` when not written.
    pub parameter_group: Value<ParameterGroupRef>,
    /// `availability_zones`; `Defaulted(empty)` (RDS then places the storage in three
    /// zones but the instances wherever they are created).
    pub availability_zones: Value<Vec<String>>,
    /// Whether this is a Multi-AZ DB cluster (non-Aurora, `db_cluster_instance_class`
    /// set): it always has a writer and two readers in three zones.
    pub multi_az_db_cluster: bool,
}

/// The parameter group a DB instance or cluster uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", content = "name", rename_all = "lowercase")]
pub enum ParameterGroupRef {
    /// The engine's default group (no group written, or a `default.*` name).
    Default,
    /// A parameter group of the configuration, by address.
    Group(String),
    /// A group named by a literal that no parameter group of the configuration has.
    External(String),
}

/// Which kind of parameter group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ParameterGroupKind {
    /// `aws_db_parameter_group` (DB instances).
    Instance,
    /// `aws_rds_cluster_parameter_group` (DB clusters).
    Cluster,
}

/// One `parameter` block of a parameter group.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DbParameter {
    /// `name`, lower-cased (parameter names are case-insensitive).
    pub name: String,
    /// `value`.
    pub value: Value<String>,
}

/// A DB parameter group (`aws_db_parameter_group`, `aws_rds_cluster_parameter_group`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DbParameterGroup {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// Instance or cluster group.
    pub kind: ParameterGroupKind,
    /// `family` (`postgres16`, `aurora-mysql8.0`, ...).
    pub family: Value<String>,
    /// The parameters whose name is known.
    pub parameters: Vec<DbParameter>,
    /// Why some parameters are unknown (a `dynamic "parameter"` block that could not be
    /// expanded, a parameter whose name is unknown), if any are.
    pub parameters_unknown: Option<std::sync::Arc<str>>,
}

impl DbParameterGroup {
    /// The parameter `name` (case-insensitive), if written.
    pub fn parameter(&self, name: &str) -> Option<&DbParameter> {
        self.parameters
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
    }
}
