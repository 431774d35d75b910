//! SQS in one region: every queue's encryption (SSE-KMS or SSE-SQS) and access policy.

use aws_config::SdkConfig;
use aws_sdk_sqs::types::QueueAttributeName;
use aws_sdk_sqs::Client;
use futures_util::future::join_all;

use super::ctx::{ApiError, Scope, Shared};
use crate::model::aws::iam::PolicyDocument;
use crate::model::aws::policy_json::parse_json;
use crate::model::aws::sqs::SqsQueue;
use crate::model::aws::AwsModel;
use crate::model::{Origin, Value};

const SVC: &str = "sqs";

/// Reads every queue of `scope.region`: `ListQueues` to the end, then
/// `GetQueueAttributes` of each (its ARN, KMS key, SSE-SQS flag and policy).
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let r = scope.region.as_ref();
    let mut m = AwsModel::default();
    let Some(pages) = sh.listed(
        scope,
        "SQS queues",
        &["aws.sqs_queues"],
        sh.pages(SVC, r, "ListQueues", || {
            c.list_queues().max_results(1000).into_paginator().send()
        })
        .await,
    ) else {
        return m;
    };
    let urls: Vec<String> = pages.iter().flat_map(|p| p.queue_urls()).cloned().collect();
    let queues = join_all(urls.iter().map(|url| {
        let c = &c;
        async move {
            let attrs = sh
                .call(SVC, r, "GetQueueAttributes", || {
                    c.get_queue_attributes()
                        .queue_url(url)
                        .attribute_names(QueueAttributeName::All)
                        .send()
                })
                .await;
            queue(
                scope,
                url,
                attrs.map(|a| a.attributes().cloned().unwrap_or_default()),
            )
        }
    }))
    .await;
    sh.progress.unit_done(queues.len());
    m.sqs_queues = queues;
    m
}

/// The queue at `url` from its attributes (or the error that kept them from being read).
fn queue(
    scope: &Scope,
    url: &str,
    attrs: Result<std::collections::HashMap<QueueAttributeName, String>, ApiError>,
) -> SqsQueue {
    // The queue name is the last segment of its URL; the ARN is returned as an
    // attribute and derived from the name when the attributes are missing.
    let name = url.rsplit('/').next().unwrap_or(url);
    let get = |k: QueueAttributeName| attrs.as_ref().ok().and_then(|a| a.get(&k)).cloned();
    let arn = get(QueueAttributeName::QueueArn).unwrap_or_else(|| scope.arn(SVC, name));
    let meta = scope.meta(&arn, "aws_sqs_queue");
    let o = meta.origin.clone();
    match attrs {
        Ok(_) => {
            let kms = get(QueueAttributeName::KmsMasterKeyId).filter(|k| !k.is_empty());
            let sqs_managed = get(QueueAttributeName::SqsManagedSseEnabled);
            SqsQueue {
                sqs_managed_sse: managed_sse(sqs_managed.as_deref(), kms.is_some(), &o),
                kms_key: match kms {
                    Some(k) => Value::set(Some(k), o.clone(), "kms_master_key_id"),
                    None => Value::defaulted(None, o.clone(), "kms_master_key_id"),
                },
                policy: policy(get(QueueAttributeName::Policy).as_deref(), &o),
                meta,
            }
        }
        Err(e) => SqsQueue {
            kms_key: e.unknown(o.clone(), "kms_master_key_id"),
            sqs_managed_sse: e.unknown(o.clone(), "sqs_managed_sse_enabled"),
            policy: e.unknown(o, "policy"),
            meta,
        },
    }
}

/// `SqsManagedSseEnabled` as returned; a queue with a KMS key has no SSE-SQS. A queue
/// for which the API returns neither is not encrypted (queues created before SSE-SQS
/// became the default keep that state).
fn managed_sse(v: Option<&str>, has_kms: bool, o: &Origin) -> Value<bool> {
    const PATH: &str = "sqs_managed_sse_enabled";
    match v {
        Some(s) => Value::set(s.eq_ignore_ascii_case("true"), o.clone(), PATH),
        None if has_kms => Value::defaulted(false, o.clone(), PATH),
        None => Value::set(false, o.clone(), PATH),
    }
}

/// The queue's access policy; the empty default document stands for the default
/// (owner account only) when the queue has none.
pub(super) fn policy(text: Option<&str>, o: &Origin) -> Value<PolicyDocument> {
    match text.filter(|t| !t.trim().is_empty()) {
        None => Value::defaulted(PolicyDocument::default(), o.clone(), "policy"),
        Some(t) => match parse_json(t) {
            Ok(doc) => Value::set(doc, o.clone(), "policy"),
            Err(e) => Value::unknown(
                format!("the policy returned by the API is not a valid policy document: {e}"),
                o.clone(),
                "policy",
            ),
        },
    }
}
