//! Amazon ElastiCache: replication groups (Redis OSS / Valkey) and cache clusters.

use serde::{Deserialize, Serialize};

use crate::model::{ResourceMeta, Value};

/// A replication group (`aws_elasticache_replication_group`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ReplicationGroup {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `engine`; `Defaulted("redis")` (provider docs).
    pub engine: Value<String>,
    /// `at_rest_encryption_enabled`. Provider docs: "When `engine` is `redis`, default is
    /// `false`. When `engine` is `valkey`, default is `true`."
    pub at_rest_encryption: Value<bool>,
    /// `transit_encryption_enabled`; `Defaulted(false)` (provider docs).
    pub transit_encryption: Value<bool>,
    /// `kms_key_id`; `Defaulted(None)` (the AWS managed key).
    pub kms_key: Value<Option<String>>,
    /// `snapshot_retention_limit` in days; `Defaulted(0)`: automatic backups are off
    /// (provider docs: "If the value of `snapshot_retention_limit` is set to zero (0),
    /// backups are turned off"; API default 0).
    pub snapshot_retention_days: Value<i64>,
    /// `node_type` (`cache.t4g.small`, …); `Defaulted("")` when absent (the node type
    /// then comes from elsewhere, e.g. a global datastore).
    pub node_type: Value<String>,
    /// `automatic_failover_enabled`; `Defaulted(false)`.
    pub automatic_failover: Value<bool>,
    /// `multi_az_enabled`; `Defaulted(false)`.
    pub multi_az: Value<bool>,
}

/// A cache cluster (`aws_elasticache_cluster`): a Memcached cluster, a standalone Redis
/// OSS node, or a member of a replication group.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CacheCluster {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `engine` (`memcached`, `redis`, `valkey`); required unless the cluster joins a
    /// replication group, whose engine it then has.
    pub engine: Value<String>,
    /// `replication_group_id`, when the cluster is a member of a replication group (the
    /// group owns encryption and backups).
    pub replication_group: Option<Value<String>>,
    /// `transit_encryption_enabled`; `Defaulted(false)` (Memcached 1.6.12 and later only).
    pub transit_encryption: Value<bool>,
    /// `snapshot_retention_limit` in days (Redis OSS / Valkey only); `Defaulted(0)`.
    pub snapshot_retention_days: Value<i64>,
    /// `node_type`; `Defaulted("")` when absent (a member of a replication group has the
    /// group's).
    pub node_type: Value<String>,
}
