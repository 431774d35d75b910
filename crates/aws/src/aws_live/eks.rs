//! EKS in one region: every cluster's control-plane logging, API endpoint exposure and
//! envelope encryption of Kubernetes secrets.

use aws_config::SdkConfig;
use aws_sdk_eks::types::Cluster;
use aws_sdk_eks::Client;
use futures_util::future::join_all;

use super::ctx::{Scope, Shared};
use crate::model::aws::eks::EksCluster;
use crate::model::aws::AwsModel;
use crate::model::{Origin, Value};

const SVC: &str = "eks";

/// Reads every cluster of `scope.region`: `ListClusters` to the end, then
/// `DescribeCluster` of each.
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let r = scope.region.as_ref();
    let mut m = AwsModel::default();
    let Some(pages) = sh.listed(
        scope,
        "EKS clusters",
        &["aws.eks_clusters"],
        sh.pages(SVC, r, "ListClusters", || {
            c.list_clusters().into_paginator().send()
        })
        .await,
    ) else {
        return m;
    };
    let names: Vec<String> = pages.iter().flat_map(|p| p.clusters()).cloned().collect();
    let clusters = join_all(names.iter().map(|name| {
        let c = &c;
        async move {
            let d = sh
                .call(SVC, r, "DescribeCluster", || {
                    c.describe_cluster().name(name).send()
                })
                .await;
            let cl = d.as_ref().ok().and_then(|d| d.cluster());
            let arn = cl
                .and_then(|c| c.arn())
                .map(str::to_string)
                .unwrap_or_else(|| scope.arn(SVC, &format!("cluster/{name}")));
            let meta = scope.meta(&arn, "aws_eks_cluster");
            let o = meta.origin.clone();
            match (&d, cl) {
                (Ok(_), Some(cl)) => cluster(meta, cl, &o),
                (Err(e), _) => EksCluster {
                    log_types: e.unknown(o.clone(), "enabled_cluster_log_types"),
                    endpoint_public_access: e
                        .unknown(o.clone(), "vpc_config.endpoint_public_access"),
                    public_access_cidrs: e.unknown(o.clone(), "vpc_config.public_access_cidrs"),
                    secrets_kms_key: e.unknown(o, "encryption_config"),
                    meta,
                },
                (Ok(_), None) => {
                    let why = "DescribeCluster returned no cluster";
                    EksCluster {
                        log_types: Value::unknown(why, o.clone(), "enabled_cluster_log_types"),
                        endpoint_public_access: Value::unknown(
                            why,
                            o.clone(),
                            "vpc_config.endpoint_public_access",
                        ),
                        public_access_cidrs: Value::unknown(
                            why,
                            o.clone(),
                            "vpc_config.public_access_cidrs",
                        ),
                        secrets_kms_key: Value::unknown(why, o, "encryption_config"),
                        meta,
                    }
                }
            }
        }
    }))
    .await;
    sh.progress.unit_done(clusters.len());
    m.eks_clusters = clusters;
    m
}

/// The model of a described cluster.
fn cluster(meta: crate::model::ResourceMeta, cl: &Cluster, o: &Origin) -> EksCluster {
    let mut log_types: Vec<String> = cl
        .logging()
        .map(|l| l.cluster_logging())
        .unwrap_or_default()
        .iter()
        .filter(|s| s.enabled() == Some(true))
        .flat_map(|s| s.types().iter().map(|t| t.as_str().to_string()))
        .collect();
    log_types.sort();
    log_types.dedup();
    let vpc = cl.resources_vpc_config();
    // EKS encrypts all Kubernetes API data under the cluster's encryption config (the
    // `resources` list is deprecated and no longer selects what is encrypted): the
    // key of the first config is the key of the secrets.
    let secrets_kms_key = match cl.encryption_config().first() {
        None => Value::defaulted(None, o.clone(), "encryption_config"),
        Some(e) => match e.provider().and_then(|p| p.key_arn()) {
            Some(k) => Value::set(
                Some(k.to_string()),
                o.clone(),
                "encryption_config.provider.key_arn",
            ),
            None => Value::set(None, o.clone(), "encryption_config.provider.key_arn"),
        },
    };
    EksCluster {
        log_types: Value::set(log_types, o.clone(), "enabled_cluster_log_types"),
        endpoint_public_access: match vpc {
            Some(v) => Value::set(
                v.endpoint_public_access(),
                o.clone(),
                "vpc_config.endpoint_public_access",
            ),
            None => Value::defaulted(true, o.clone(), "vpc_config.endpoint_public_access"),
        },
        public_access_cidrs: match vpc.map(|v| v.public_access_cidrs()) {
            Some(c) if !c.is_empty() => {
                Value::set(c.to_vec(), o.clone(), "vpc_config.public_access_cidrs")
            }
            _ => Value::defaulted(
                vec!["0.0.0.0/0".to_string()],
                o.clone(),
                "vpc_config.public_access_cidrs",
            ),
        },
        secrets_kms_key,
        meta,
    }
}
