//! ElastiCache: `aws_elasticache_replication_group` and `aws_elasticache_cluster`.

use super::join::Ctx;
use super::read::Reader;
use crate::model::aws::elasticache::{CacheCluster, ReplicationGroup};
use crate::model::aws::AwsModel;
use crate::model::Value;

/// Adds replication groups and cache clusters to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    for r in ctx.managed(&["aws_elasticache_replication_group"]) {
        let rd = Reader::new(r);
        let engine = rd.string("engine", "redis").map(|e| e.to_ascii_lowercase());
        let at_rest_encryption = match (rd.has("at_rest_encryption_enabled"), engine.known()) {
            (false, None) => Value::unknown(
                "the default depends on `engine`, which is unknown",
                rd.owner_origin(),
                "at_rest_encryption_enabled",
            ),
            (false, Some(e)) => Value::defaulted(
                e == "valkey",
                rd.owner_origin(),
                "at_rest_encryption_enabled",
            ),
            (true, _) => rd.bool("at_rest_encryption_enabled", false),
        };
        aws.elasticache_replication_groups.push(ReplicationGroup {
            meta: ctx.meta(r),
            engine,
            at_rest_encryption,
            transit_encryption: rd.bool("transit_encryption_enabled", false),
            kms_key: rd.opt_ref("kms_key_id"),
            snapshot_retention_days: rd.int("snapshot_retention_limit", 0),
            node_type: rd.string("node_type", ""),
            automatic_failover: rd.bool("automatic_failover_enabled", false),
            multi_az: rd.bool("multi_az_enabled", false),
        });
    }
    for r in ctx.managed(&["aws_elasticache_cluster"]) {
        let rd = Reader::new(r);
        let replication_group = rd.has("replication_group_id").then(|| {
            rd.opt_ref("replication_group_id")
                .map(|g| g.clone().unwrap_or_default())
        });
        let engine = if replication_group.is_some() && !rd.has("engine") {
            Value::unknown(
                "member of a replication group: the group sets the engine",
                rd.owner_origin(),
                "engine",
            )
        } else {
            rd.string("engine", "").map(|e| e.to_ascii_lowercase())
        };
        aws.elasticache_clusters.push(CacheCluster {
            meta: ctx.meta(r),
            engine,
            replication_group,
            transit_encryption: rd.bool("transit_encryption_enabled", false),
            snapshot_retention_days: rd.int("snapshot_retention_limit", 0),
            node_type: rd.string("node_type", ""),
        });
    }
}
