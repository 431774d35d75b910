//! RDS in one region: DB instances and DB clusters.

use aws_config::SdkConfig;
use aws_sdk_rds::Client;

use super::ctx::{Scope, Shared};
use crate::model::aws::rds::{DbCluster, DbInstance, ParameterGroupRef};
use crate::model::aws::AwsModel;
use crate::model::{Origin, Value};

const SVC: &str = "rds";

fn b(v: Option<bool>, o: &Origin, p: &str) -> Value<bool> {
    match v {
        Some(x) => Value::set(x, o.clone(), p),
        None => Value::defaulted(false, o.clone(), p),
    }
}

fn days(v: Option<i32>, o: &Origin) -> Value<i64> {
    match v {
        Some(x) => Value::set(i64::from(x), o.clone(), "backup_retention_period"),
        None => Value::defaulted(1, o.clone(), "backup_retention_period"),
    }
}

fn group(name: Option<&str>, o: &Origin) -> Value<ParameterGroupRef> {
    match name {
        Some(n) if !n.starts_with("default.") => Value::set(
            ParameterGroupRef::External(n.to_string()),
            o.clone(),
            "parameter_group_name",
        ),
        _ => Value::defaulted(
            ParameterGroupRef::Default,
            o.clone(),
            "parameter_group_name",
        ),
    }
}

/// Reads the DB instances and clusters of `scope.region`.
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let r = scope.region.as_ref();
    let (instances, clusters) = tokio::join!(
        sh.pages(
            SVC,
            r,
            "DescribeDBInstances",
            c.describe_db_instances().into_paginator().send()
        ),
        sh.pages(
            SVC,
            r,
            "DescribeDBClusters",
            c.describe_db_clusters().into_paginator().send()
        ),
    );
    let mut m = AwsModel::default();
    match instances {
        Ok(pages) => {
            for i in pages.iter().flat_map(|p| p.db_instances()) {
                let Some(id) = i.db_instance_identifier() else {
                    continue;
                };
                let arn = i
                    .db_instance_arn()
                    .map(str::to_string)
                    .unwrap_or_else(|| scope.arn(SVC, &format!("db:{id}")));
                let meta = scope.meta(&arn, "aws_db_instance");
                let o = meta.origin.clone();
                m.db_instances.push(DbInstance {
                    engine: Value::set(
                        i.engine().unwrap_or_default().to_string(),
                        o.clone(),
                        "engine",
                    ),
                    cluster: i.db_cluster_identifier().map(|cl| {
                        Value::set(
                            scope.arn(SVC, &format!("cluster:{cl}")),
                            o.clone(),
                            "cluster_identifier",
                        )
                    }),
                    is_replica: i.read_replica_source_db_instance_identifier().is_some(),
                    storage_encrypted: b(i.storage_encrypted(), &o, "storage_encrypted"),
                    publicly_accessible: b(i.publicly_accessible(), &o, "publicly_accessible"),
                    backup_retention_days: days(i.backup_retention_period(), &o),
                    multi_az: b(i.multi_az(), &o, "multi_az"),
                    deletion_protection: b(i.deletion_protection(), &o, "deletion_protection"),
                    log_exports: Value::set(
                        i.enabled_cloudwatch_logs_exports().to_vec(),
                        o.clone(),
                        "enabled_cloudwatch_logs_exports",
                    ),
                    engine_version: Value::set(
                        i.engine_version().unwrap_or_default().to_string(),
                        o.clone(),
                        "engine_version",
                    ),
                    parameter_group: group(
                        i.db_parameter_groups()
                            .first()
                            .and_then(|g| g.db_parameter_group_name()),
                        &o,
                    ),
                    meta,
                });
            }
        }
        Err(e) => {
            sh.warn(format!("RDS DB instances not evaluated: {}", e.reason));
            let meta = scope.unlisted_meta(SVC, "aws_db_instance");
            let o = meta.origin.clone();
            m.db_instances.push(DbInstance {
                engine: e.unknown(o.clone(), "engine"),
                cluster: None,
                is_replica: false,
                storage_encrypted: e.unknown(o.clone(), "storage_encrypted"),
                publicly_accessible: e.unknown(o.clone(), "publicly_accessible"),
                backup_retention_days: e.unknown(o.clone(), "backup_retention_period"),
                multi_az: e.unknown(o.clone(), "multi_az"),
                deletion_protection: e.unknown(o.clone(), "deletion_protection"),
                log_exports: e.unknown(o.clone(), "enabled_cloudwatch_logs_exports"),
                engine_version: e.unknown(o.clone(), "engine_version"),
                parameter_group: e.unknown(o, "parameter_group_name"),
                meta,
            });
        }
    }
    match clusters {
        Ok(pages) => {
            for cl in pages.iter().flat_map(|p| p.db_clusters()) {
                let Some(id) = cl.db_cluster_identifier() else {
                    continue;
                };
                let arn = cl
                    .db_cluster_arn()
                    .map(str::to_string)
                    .unwrap_or_else(|| scope.arn(SVC, &format!("cluster:{id}")));
                let meta = scope.meta(&arn, "aws_rds_cluster");
                let o = meta.origin.clone();
                m.db_clusters.push(DbCluster {
                    engine: Value::set(
                        cl.engine().unwrap_or_default().to_string(),
                        o.clone(),
                        "engine",
                    ),
                    engine_mode: match cl.engine_mode() {
                        Some(x) => Value::set(x.to_string(), o.clone(), "engine_mode"),
                        None => {
                            Value::defaulted("provisioned".to_string(), o.clone(), "engine_mode")
                        }
                    },
                    is_replica: cl.replication_source_identifier().is_some(),
                    storage_encrypted: b(cl.storage_encrypted(), &o, "storage_encrypted"),
                    backup_retention_days: days(cl.backup_retention_period(), &o),
                    deletion_protection: b(cl.deletion_protection(), &o, "deletion_protection"),
                    log_exports: Value::set(
                        cl.enabled_cloudwatch_logs_exports().to_vec(),
                        o.clone(),
                        "enabled_cloudwatch_logs_exports",
                    ),
                    engine_version: Value::set(
                        cl.engine_version().unwrap_or_default().to_string(),
                        o.clone(),
                        "engine_version",
                    ),
                    parameter_group: group(cl.db_cluster_parameter_group(), &o),
                    availability_zones: Value::set(
                        cl.availability_zones().to_vec(),
                        o.clone(),
                        "availability_zones",
                    ),
                    multi_az_db_cluster: cl.db_cluster_instance_class().is_some()
                        && !cl.engine().unwrap_or_default().starts_with("aurora"),
                    meta,
                });
            }
        }
        Err(e) => {
            sh.warn(format!("RDS DB clusters not evaluated: {}", e.reason));
            let meta = scope.unlisted_meta(SVC, "aws_rds_cluster");
            let o = meta.origin.clone();
            m.db_clusters.push(DbCluster {
                engine: e.unknown(o.clone(), "engine"),
                engine_mode: e.unknown(o.clone(), "engine_mode"),
                is_replica: false,
                storage_encrypted: e.unknown(o.clone(), "storage_encrypted"),
                backup_retention_days: e.unknown(o.clone(), "backup_retention_period"),
                deletion_protection: e.unknown(o.clone(), "deletion_protection"),
                log_exports: e.unknown(o.clone(), "enabled_cloudwatch_logs_exports"),
                engine_version: e.unknown(o.clone(), "engine_version"),
                parameter_group: e.unknown(o.clone(), "parameter_group_name"),
                availability_zones: e.unknown(o, "availability_zones"),
                multi_az_db_cluster: false,
                meta,
            });
        }
    }
    sh.progress
        .unit_done(m.db_instances.len() + m.db_clusters.len());
    m
}
