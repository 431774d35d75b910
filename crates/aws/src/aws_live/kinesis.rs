//! Kinesis Data Streams in one region: every stream's encryption and retention.

use aws_config::SdkConfig;
use aws_sdk_kinesis::Client;
use futures_util::future::join_all;

use super::ctx::{Scope, Shared};
use crate::model::aws::kinesis::KinesisStream;
use crate::model::aws::AwsModel;
use crate::model::Value;

const SVC: &str = "kinesis";

/// Reads every stream of `scope.region`: `ListStreams` to the end, then
/// `DescribeStreamSummary` of each.
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let r = scope.region.as_ref();
    let mut m = AwsModel::default();
    let Some(pages) = sh.listed(
        scope,
        "Kinesis streams",
        &["aws.kinesis_streams"],
        sh.pages(SVC, r, "ListStreams", || {
            c.list_streams().into_paginator().send()
        })
        .await,
    ) else {
        return m;
    };
    let names: Vec<String> = pages
        .iter()
        .flat_map(|p| p.stream_names())
        .cloned()
        .collect();
    let streams = join_all(names.iter().map(|name| {
        let c = &c;
        async move {
            let d = sh
                .call(SVC, r, "DescribeStreamSummary", || {
                    c.describe_stream_summary().stream_name(name).send()
                })
                .await;
            let s = d.as_ref().ok().and_then(|d| d.stream_description_summary());
            let arn = s
                .map(|s| s.stream_arn().to_string())
                .unwrap_or_else(|| scope.arn(SVC, &format!("stream/{name}")));
            let meta = scope.meta(&arn, "aws_kinesis_stream");
            let o = meta.origin.clone();
            match (&d, s) {
                (Ok(_), Some(s)) => KinesisStream {
                    encryption_type: match s.encryption_type() {
                        Some(t) => Value::set(
                            t.as_str().to_ascii_uppercase(),
                            o.clone(),
                            "encryption_type",
                        ),
                        None => Value::defaulted("NONE".to_string(), o.clone(), "encryption_type"),
                    },
                    kms_key: match s.key_id() {
                        Some(k) => Value::set(Some(k.to_string()), o.clone(), "kms_key_id"),
                        None => Value::defaulted(None, o.clone(), "kms_key_id"),
                    },
                    retention_hours: Value::set(
                        i64::from(s.retention_period_hours()),
                        o,
                        "retention_period",
                    ),
                    meta,
                },
                (Err(e), _) => KinesisStream {
                    encryption_type: e.unknown(o.clone(), "encryption_type"),
                    kms_key: e.unknown(o.clone(), "kms_key_id"),
                    retention_hours: e.unknown(o, "retention_period"),
                    meta,
                },
                (Ok(_), None) => {
                    let why = "DescribeStreamSummary returned no stream description";
                    KinesisStream {
                        encryption_type: Value::unknown(why, o.clone(), "encryption_type"),
                        kms_key: Value::unknown(why, o.clone(), "kms_key_id"),
                        retention_hours: Value::unknown(why, o, "retention_period"),
                        meta,
                    }
                }
            }
        }
    }))
    .await;
    sh.progress.unit_done(streams.len());
    m.kinesis_streams = streams;
    m
}
