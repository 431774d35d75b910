//! SNS in one region: every topic's KMS key and access policy.

use aws_config::SdkConfig;
use aws_sdk_sns::Client;
use futures_util::future::join_all;

use super::ctx::{Scope, Shared};
use crate::model::aws::sns::SnsTopic;
use crate::model::aws::AwsModel;
use crate::model::Value;

const SVC: &str = "sns";

/// Reads every topic of `scope.region`: `ListTopics` to the end, then
/// `GetTopicAttributes` of each (`KmsMasterKeyId`, `Policy`).
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let r = scope.region.as_ref();
    let mut m = AwsModel::default();
    let Some(pages) = sh.listed(
        scope,
        "SNS topics",
        &["aws.sns_topics"],
        sh.pages(SVC, r, "ListTopics", || {
            c.list_topics().into_paginator().send()
        })
        .await,
    ) else {
        return m;
    };
    let arns: Vec<String> = pages
        .iter()
        .flat_map(|p| p.topics())
        .filter_map(|t| t.topic_arn().map(str::to_string))
        .collect();
    let topics = join_all(arns.iter().map(|arn| {
        let c = &c;
        async move {
            let meta = scope.meta(arn, "aws_sns_topic");
            let o = meta.origin.clone();
            match sh
                .call(SVC, r, "GetTopicAttributes", || {
                    c.get_topic_attributes().topic_arn(arn).send()
                })
                .await
            {
                Ok(a) => {
                    let attrs = a.attributes();
                    let get = |k: &str| attrs.and_then(|m| m.get(k)).cloned();
                    SnsTopic {
                        kms_key: match get("KmsMasterKeyId").filter(|k| !k.is_empty()) {
                            Some(k) => Value::set(Some(k), o.clone(), "kms_master_key_id"),
                            None => Value::defaulted(None, o.clone(), "kms_master_key_id"),
                        },
                        policy: super::sqs::policy(get("Policy").as_deref(), &o),
                        meta,
                    }
                }
                Err(e) => SnsTopic {
                    kms_key: e.unknown(o.clone(), "kms_master_key_id"),
                    policy: e.unknown(o, "policy"),
                    meta,
                },
            }
        }
    }))
    .await;
    sh.progress.unit_done(topics.len());
    m.sns_topics = topics;
    m
}
