//! AWS-ELC-003: ElastiCache Redis OSS / Valkey data has automatic backups.

use crate::model::{Model, Value};
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every ElastiCache replication group
    /// (`aws_elasticache_replication_group`) and every standalone Redis OSS / Valkey cache
    /// cluster (`aws_elasticache_cluster` with that engine and no
    /// `replication_group_id`) has `snapshot_retention_limit` of at least 1 day.
    /// Memcached (no persistence) is not checked. A node type that cannot take snapshots
    /// (`cache.t1.micro`) fails too, with a message saying the node type must change
    /// first: ElastiCache rejects a retention limit on it.
    ///
    /// ## Why it matters (SOC 2)
    /// A1.2: when Redis is used as a data store (queues, sessions, counters, feature
    /// flags) rather than a disposable cache, losing the nodes loses the data unless a
    /// daily snapshot exists.
    ///
    /// ## Default assumed
    /// `snapshot_retention_limit` defaults to 0, automatic backups off (AWS provider docs).
    ///
    /// ## Not evaluated
    /// When the value or a cluster's engine comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_elasticache_replication_group" "sessions" {
    ///   # ...
    ///   snapshot_retention_limit = 7
    ///   snapshot_window          = "03:00-05:00"
    /// }
    /// ```
    ///
    /// On a node type without snapshot support (`cache.t1.micro`), first change
    /// `node_type` to one that supports snapshots (for example `cache.t4g.micro`), then
    /// set `snapshot_retention_limit`: ElastiCache rejects a retention limit on
    /// `cache.t1.micro`.
    pub struct ElasticacheSnapshotRetention {
        id: "AWS-ELC-003",
        slug: "elasticache-snapshot-retention",
        title: "ElastiCache Redis OSS / Valkey has automatic backups",
        severity: Medium,
        family: Backup,
    }
}

impl Rule for ElasticacheSnapshotRetention {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for g in &model.aws.elasticache_replication_groups {
            let msg = |_: &i64| message(&g.node_type);
            out.require(&g.meta, &g.snapshot_retention_days, |d| *d >= 1, msg);
        }
        for c in model
            .aws
            .elasticache_clusters
            .iter()
            .filter(|c| c.replication_group.is_none())
        {
            let redis = c.engine.map(|e| matches!(e.as_str(), "redis" | "valkey"));
            if out.applies(&c.meta, &redis) {
                let msg = |_: &i64| message(&c.node_type);
                out.require(&c.meta, &c.snapshot_retention_days, |d| *d >= 1, msg);
            }
        }
    }
}

/// Node types that cannot take snapshots (ElastiCache User Guide, "Backup constraints").
const NO_SNAPSHOTS: &[&str] = &["cache.t1.micro"];

/// The failure message: on a node type without snapshots, the node type must change
/// before a retention limit can be set.
fn message(node_type: &Value<String>) -> String {
    match node_type.known() {
        Some(t) if NO_SNAPSHOTS.contains(&t.as_str()) => format!(
            "automatic backups are disabled and node type {t} cannot take snapshots: change node_type to one that supports snapshots before setting snapshot_retention_limit"
        ),
        _ => "automatic backups are disabled (snapshot_retention_limit = 0)".to_string(),
    }
}
