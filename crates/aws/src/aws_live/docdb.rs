//! Amazon DocumentDB and Amazon Neptune in one region: their clusters, read through the
//! RDS management API they share (`DescribeDBClusters` filtered on the engines `docdb`
//! and `neptune`): storage encryption and the logs exported to CloudWatch Logs.

use aws_config::SdkConfig;
use aws_sdk_rds::types::{DbCluster, Filter};
use aws_sdk_rds::Client;

use super::ctx::{Scope, Shared};
use crate::model::aws::docdb::DocDbCluster;
use crate::model::aws::neptune::NeptuneCluster;
use crate::model::aws::AwsModel;
use crate::model::{Origin, Value};

const SVC: &str = "rds";
/// The engine of DocumentDB clusters.
pub(crate) const DOCDB: &str = "docdb";
/// The engine of Neptune clusters.
pub(crate) const NEPTUNE: &str = "neptune";

/// Whether `engine` is DocumentDB's or Neptune's: those clusters and instances answer
/// the RDS API too, but are read here, not as RDS databases.
pub(crate) fn is_docdb_or_neptune(engine: Option<&str>) -> bool {
    matches!(engine, Some(DOCDB | NEPTUNE))
}

/// Reads every DocumentDB and Neptune cluster of `scope.region` (`DescribeDBClusters`
/// with the filter `engine = docdb, neptune`, to the end).
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let mut m = AwsModel::default();
    let engines = Filter::builder()
        .name("engine")
        .values(DOCDB)
        .values(NEPTUNE)
        .build();
    let Some(pages) = sh.listed(
        scope,
        "DocumentDB and Neptune clusters",
        &["aws.docdb_clusters", "aws.neptune_clusters"],
        sh.pages(SVC, scope.region.as_ref(), "DescribeDBClusters", || {
            c.describe_db_clusters()
                .filters(engines)
                .into_paginator()
                .send()
        })
        .await,
    ) else {
        return m;
    };
    for cl in pages.iter().flat_map(|p| p.db_clusters()) {
        add(scope, cl, &mut m);
    }
    sh.progress
        .unit_done(m.docdb_clusters.len() + m.neptune_clusters.len());
    m
}

/// Adds cluster `cl` to `m` by its engine; a cluster of another engine (an endpoint
/// that ignores the filter) or without an identifier is left out.
fn add(scope: &Scope, cl: &DbCluster, m: &mut AwsModel) {
    let Some(id) = cl.db_cluster_identifier() else {
        return;
    };
    let arn = cl
        .db_cluster_arn()
        .map(str::to_string)
        .unwrap_or_else(|| scope.arn(SVC, &format!("cluster:{id}")));
    match cl.engine() {
        Some(DOCDB) => {
            let meta = scope.meta(&arn, "aws_docdb_cluster");
            let o = meta.origin.clone();
            m.docdb_clusters.push(DocDbCluster {
                storage_encrypted: encrypted(cl, &o),
                log_exports: exports(cl, &o, "enabled_cloudwatch_logs_exports"),
                meta,
            });
        }
        Some(NEPTUNE) => {
            let meta = scope.meta(&arn, "aws_neptune_cluster");
            let o = meta.origin.clone();
            m.neptune_clusters.push(NeptuneCluster {
                storage_encrypted: encrypted(cl, &o),
                log_exports: exports(cl, &o, "enable_cloudwatch_logs_exports"),
                meta,
            });
        }
        _ => {}
    }
}

/// `StorageEncrypted`; `Defaulted(false)` when the API leaves it out (as unencrypted
/// clusters are created by default).
fn encrypted(cl: &DbCluster, o: &Origin) -> Value<bool> {
    match cl.storage_encrypted() {
        Some(x) => Value::set(x, o.clone(), "storage_encrypted"),
        None => Value::defaulted(false, o.clone(), "storage_encrypted"),
    }
}

/// `EnabledCloudwatchLogsExports`: the API leaves the list out when nothing is
/// exported.
fn exports(cl: &DbCluster, o: &Origin, path: &str) -> Value<Vec<String>> {
    Value::set(
        cl.enabled_cloudwatch_logs_exports().to_vec(),
        o.clone(),
        path,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope() -> Scope {
        Scope {
            partition: "aws".into(),
            account: "123456789012".into(),
            region: "eu-west-1".into(),
        }
    }

    fn cluster(id: &str, engine: &str, encrypted: Option<bool>, logs: &[&str]) -> DbCluster {
        let mut b = DbCluster::builder()
            .db_cluster_identifier(id)
            .engine(engine)
            .set_storage_encrypted(encrypted);
        for l in logs {
            b = b.enabled_cloudwatch_logs_exports(*l);
        }
        b.build()
    }

    /// DocumentDB clusters (which moto 5.1 cannot create) are read by engine, with
    /// their encryption and exports; other engines are left to the RDS adapter.
    #[test]
    fn clusters_are_read_by_engine() {
        let mut m = AwsModel::default();
        let s = scope();
        add(
            &s,
            &cluster("docs", DOCDB, Some(true), &["audit", "profiler"]),
            &mut m,
        );
        add(&s, &cluster("legacy-docs", DOCDB, None, &[]), &mut m);
        add(
            &s,
            &cluster("graph", NEPTUNE, Some(false), &["audit"]),
            &mut m,
        );
        add(&s, &cluster("app", "aurora-mysql", Some(true), &[]), &mut m);
        assert_eq!(m.docdb_clusters.len(), 2);
        assert_eq!(m.neptune_clusters.len(), 1);
        let docs = &m.docdb_clusters[0];
        assert_eq!(
            docs.meta.address.as_ref(),
            "arn:aws:rds:eu-west-1:123456789012:cluster:docs"
        );
        assert_eq!(docs.meta.rtype.as_ref(), "aws_docdb_cluster");
        assert_eq!(docs.storage_encrypted.known(), Some(&true));
        assert_eq!(
            docs.log_exports.known(),
            Some(&vec!["audit".to_string(), "profiler".to_string()])
        );
        let legacy = &m.docdb_clusters[1];
        assert_eq!(legacy.storage_encrypted.known(), Some(&false));
        assert_eq!(legacy.log_exports.known(), Some(&Vec::new()));
        let graph = &m.neptune_clusters[0];
        assert_eq!(graph.meta.rtype.as_ref(), "aws_neptune_cluster");
        assert_eq!(graph.storage_encrypted.known(), Some(&false));
        assert_eq!(graph.log_exports.known(), Some(&vec!["audit".to_string()]));
        assert!(is_docdb_or_neptune(Some("docdb")));
        assert!(!is_docdb_or_neptune(Some("aurora-postgresql")));
        assert!(!is_docdb_or_neptune(None));
    }
}
