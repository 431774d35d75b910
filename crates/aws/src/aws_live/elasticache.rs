//! ElastiCache in one region: replication groups (encryption at rest and in transit,
//! snapshots, failover) and cache clusters (Memcached clusters and standalone nodes).

use aws_config::SdkConfig;
use aws_sdk_elasticache::types::{AutomaticFailoverStatus, MultiAzStatus};
use aws_sdk_elasticache::Client;

use super::ctx::{Scope, Shared};
use crate::model::aws::elasticache::{CacheCluster, ReplicationGroup};
use crate::model::aws::AwsModel;
use crate::model::Value;

const SVC: &str = "elasticache";

/// Reads every replication group and cache cluster of `scope.region`
/// (`DescribeReplicationGroups` and `DescribeCacheClusters` to the end).
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let r = scope.region.as_ref();
    let mut m = AwsModel::default();
    let (groups, clusters) = tokio::join!(
        sh.pages(SVC, r, "DescribeReplicationGroups", || c
            .describe_replication_groups()
            .into_paginator()
            .send(),),
        sh.pages(SVC, r, "DescribeCacheClusters", || c
            .describe_cache_clusters()
            .into_paginator()
            .send(),),
    );
    match groups {
        Ok(pages) => {
            for g in pages.iter().flat_map(|p| p.replication_groups()) {
                let id = g.replication_group_id().unwrap_or_default();
                let arn = g
                    .arn()
                    .map(str::to_string)
                    .unwrap_or_else(|| scope.arn(SVC, &format!("replicationgroup:{id}")));
                let meta = scope.meta(&arn, "aws_elasticache_replication_group");
                let o = meta.origin.clone();
                let flag = |v: Option<bool>, path: &str| match v {
                    Some(b) => Value::set(b, o.clone(), path),
                    None => Value::defaulted(false, o.clone(), path),
                };
                m.elasticache_replication_groups.push(ReplicationGroup {
                    engine: match g.engine() {
                        Some(e) => Value::set(e.to_string(), o.clone(), "engine"),
                        None => Value::defaulted("redis".to_string(), o.clone(), "engine"),
                    },
                    at_rest_encryption: flag(
                        g.at_rest_encryption_enabled(),
                        "at_rest_encryption_enabled",
                    ),
                    transit_encryption: flag(
                        g.transit_encryption_enabled(),
                        "transit_encryption_enabled",
                    ),
                    kms_key: match g.kms_key_id() {
                        Some(k) => Value::set(Some(k.to_string()), o.clone(), "kms_key_id"),
                        None => Value::defaulted(None, o.clone(), "kms_key_id"),
                    },
                    snapshot_retention_days: Value::set(
                        i64::from(g.snapshot_retention_limit().unwrap_or(0)),
                        o.clone(),
                        "snapshot_retention_limit",
                    ),
                    node_type: Value::set(
                        g.cache_node_type().unwrap_or_default().to_string(),
                        o.clone(),
                        "node_type",
                    ),
                    automatic_failover: Value::set(
                        matches!(
                            g.automatic_failover(),
                            Some(
                                AutomaticFailoverStatus::Enabled
                                    | AutomaticFailoverStatus::Enabling
                            )
                        ),
                        o.clone(),
                        "automatic_failover_enabled",
                    ),
                    multi_az: Value::set(
                        matches!(g.multi_az(), Some(MultiAzStatus::Enabled)),
                        o,
                        "multi_az_enabled",
                    ),
                    meta,
                });
            }
        }
        Err(e) => {
            sh.warn(format!(
                "ElastiCache replication groups not evaluated: {}",
                e.reason
            ));
            sh.not_listed(scope, &["aws.elasticache_replication_groups"], &e);
        }
    }
    match clusters {
        Ok(pages) => {
            for cl in pages.iter().flat_map(|p| p.cache_clusters()) {
                let id = cl.cache_cluster_id().unwrap_or_default();
                let arn = cl
                    .arn()
                    .map(str::to_string)
                    .unwrap_or_else(|| scope.arn(SVC, &format!("cluster:{id}")));
                let meta = scope.meta(&arn, "aws_elasticache_cluster");
                let o = meta.origin.clone();
                m.elasticache_clusters.push(CacheCluster {
                    engine: Value::set(
                        cl.engine().unwrap_or_default().to_string(),
                        o.clone(),
                        "engine",
                    ),
                    replication_group: cl.replication_group_id().map(|g| {
                        Value::set(
                            scope.arn(SVC, &format!("replicationgroup:{g}")),
                            o.clone(),
                            "replication_group_id",
                        )
                    }),
                    transit_encryption: match cl.transit_encryption_enabled() {
                        Some(b) => Value::set(b, o.clone(), "transit_encryption_enabled"),
                        None => Value::defaulted(false, o.clone(), "transit_encryption_enabled"),
                    },
                    snapshot_retention_days: Value::set(
                        i64::from(cl.snapshot_retention_limit().unwrap_or(0)),
                        o.clone(),
                        "snapshot_retention_limit",
                    ),
                    node_type: Value::set(
                        cl.cache_node_type().unwrap_or_default().to_string(),
                        o,
                        "node_type",
                    ),
                    meta,
                });
            }
        }
        Err(e) => {
            sh.warn(format!("ElastiCache clusters not evaluated: {}", e.reason));
            sh.not_listed(scope, &["aws.elasticache_clusters"], &e);
        }
    }
    sh.progress
        .unit_done(m.elasticache_replication_groups.len() + m.elasticache_clusters.len());
    m
}
