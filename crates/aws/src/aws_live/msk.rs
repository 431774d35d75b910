//! Amazon MSK in one region: every cluster's encryption in transit and at rest.

use aws_config::SdkConfig;
use aws_sdk_kafka::types::Cluster;
use aws_sdk_kafka::Client;

use super::ctx::{Scope, Shared};
use crate::model::aws::msk::MskCluster;
use crate::model::aws::AwsModel;
use crate::model::{Origin, Value};

const SVC: &str = "kafka";

/// Reads every cluster of `scope.region`, provisioned and serverless
/// (`ListClustersV2` to the end).
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let mut m = AwsModel::default();
    let Some(pages) = sh.listed(
        scope,
        "MSK clusters",
        &["aws.msk_clusters"],
        sh.pages(SVC, &scope.region, "ListClustersV2", || {
            c.list_clusters_v2().into_paginator().send()
        })
        .await,
    ) else {
        return m;
    };
    for cl in pages.iter().flat_map(|p| p.cluster_info_list()) {
        let name = cl.cluster_name().unwrap_or_default();
        let arn = cl
            .cluster_arn()
            .map(str::to_string)
            .unwrap_or_else(|| scope.arn(SVC, &format!("cluster/{name}")));
        let meta = scope.meta(&arn, "aws_msk_cluster");
        let o = meta.origin.clone();
        m.msk_clusters.push(cluster(meta, cl, &o));
    }
    sh.progress.unit_done(m.msk_clusters.len());
    m
}

/// A provisioned cluster's encryption settings; a serverless cluster always uses TLS
/// between clients and brokers and within the cluster, and encrypts at rest with an
/// AWS managed key (MSK Developer Guide, "MSK Serverless").
fn cluster(meta: crate::model::ResourceMeta, cl: &Cluster, o: &Origin) -> MskCluster {
    const BROKER: &str = "encryption_info.encryption_in_transit.client_broker";
    const IN_CLUSTER: &str = "encryption_info.encryption_in_transit.in_cluster";
    const AT_REST: &str = "encryption_info.encryption_at_rest_kms_key_arn";
    let Some(p) = cl.provisioned() else {
        return MskCluster {
            client_broker: Value::defaulted("TLS".to_string(), o.clone(), BROKER),
            in_cluster: Value::defaulted(true, o.clone(), IN_CLUSTER),
            at_rest_kms_key: Value::defaulted(None, o.clone(), AT_REST),
            meta,
        };
    };
    let info = p.encryption_info();
    let transit = info.and_then(|i| i.encryption_in_transit());
    MskCluster {
        client_broker: match transit.and_then(|t| t.client_broker()) {
            Some(b) => Value::set(b.as_str().to_ascii_uppercase(), o.clone(), BROKER),
            None => Value::defaulted("TLS".to_string(), o.clone(), BROKER),
        },
        in_cluster: match transit.and_then(|t| t.in_cluster()) {
            Some(b) => Value::set(b, o.clone(), IN_CLUSTER),
            None => Value::defaulted(true, o.clone(), IN_CLUSTER),
        },
        at_rest_kms_key: match info
            .and_then(|i| i.encryption_at_rest())
            .and_then(|a| a.data_volume_kms_key_id())
        {
            Some(k) => Value::set(Some(k.to_string()), o.clone(), AT_REST),
            None => Value::defaulted(None, o.clone(), AT_REST),
        },
        meta,
    }
}
