//! CloudWatch Logs in one region: log groups, the key that encrypts them and how long
//! they keep their events; metric filters, the metrics they publish from log events.

use aws_config::SdkConfig;
use aws_sdk_cloudwatchlogs::Client;

use super::ctx::{Scope, Shared};
use crate::model::aws::cloudwatch_alarms::MetricFilter;
use crate::model::aws::cloudwatch_logs::LogGroup;
use crate::model::aws::AwsModel;
use crate::model::Value;

const SVC: &str = "logs";

/// Reads every log group of `scope.region` (`DescribeLogGroups` to the end). The
/// resource is the log group ARN without the `:*` suffix `arn` carries; an absent
/// `retentionInDays` means the events never expire, an absent `kmsKeyId` that the
/// service key encrypts them.
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let r = scope.region.as_ref();
    let mut m = AwsModel::default();
    let Some(pages) = sh.listed(
        scope,
        "CloudWatch Logs log groups",
        &["aws.log_groups"],
        sh.pages(SVC, r, "DescribeLogGroups", || {
            c.describe_log_groups().into_paginator().send()
        })
        .await,
    ) else {
        return m;
    };
    for g in pages.iter().flat_map(|p| p.log_groups()) {
        let Some(name) = g.log_group_name() else {
            continue;
        };
        let arn = g
            .log_group_arn()
            .map(str::to_string)
            .or_else(|| {
                g.arn()
                    .map(|a| a.strip_suffix(":*").unwrap_or(a).to_string())
            })
            .unwrap_or_else(|| scope.arn(SVC, &format!("log-group:{name}")));
        let meta = scope.meta(&arn, "aws_cloudwatch_log_group");
        let o = meta.origin.clone();
        m.log_groups.push(LogGroup {
            name: Value::set(name.to_string(), o.clone(), "name"),
            kms_key: match g.kms_key_id() {
                Some(k) => Value::set(Some(k.to_string()), o.clone(), "kms_key_id"),
                None => Value::defaulted(None, o.clone(), "kms_key_id"),
            },
            retention_days: match g.retention_in_days() {
                Some(d) => Value::set(i64::from(d), o, "retention_in_days"),
                None => Value::defaulted(0, o, "retention_in_days"),
            },
            meta,
        });
    }
    sh.progress.unit_done(m.log_groups.len());
    m
}

/// Reads every metric filter of `scope.region` (`DescribeMetricFilters` over all log
/// groups, to the end). Metric filters have no ARN of their own: the resource is
/// `arn:…:logs:<region>:<account>:log-group:<group>:metric-filter:<name>`. A filter
/// publishes one metric (its first `metricTransformations` entry); one without any is
/// kept with its metric unknown.
pub async fn collect_metric_filters(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let r = scope.region.as_ref();
    let mut m = AwsModel::default();
    let Some(pages) = sh.listed(
        scope,
        "CloudWatch Logs metric filters",
        &["aws.metric_filters"],
        sh.pages(SVC, r, "DescribeMetricFilters", || {
            c.describe_metric_filters().into_paginator().send()
        })
        .await,
    ) else {
        return m;
    };
    for f in pages.iter().flat_map(|p| p.metric_filters()) {
        let (Some(name), Some(group)) = (f.filter_name(), f.log_group_name()) else {
            continue;
        };
        let arn = scope.arn(SVC, &format!("log-group:{group}:metric-filter:{name}"));
        let meta = scope.meta(&arn, "aws_cloudwatch_log_metric_filter");
        let o = meta.origin.clone();
        let (metric_name, namespace) = match f.metric_transformations().first() {
            Some(t) => (
                Value::set(
                    t.metric_name().to_string(),
                    o.clone(),
                    "metric_transformation.name",
                ),
                Value::set(
                    t.metric_namespace().to_string(),
                    o.clone(),
                    "metric_transformation.namespace",
                ),
            ),
            None => {
                let why = "DescribeMetricFilters returned no metric transformation for the filter";
                (
                    Value::unknown(why, o.clone(), "metric_transformation.name"),
                    Value::unknown(why, o.clone(), "metric_transformation.namespace"),
                )
            }
        };
        m.metric_filters.push(MetricFilter {
            pattern: match f.filter_pattern() {
                Some(p) => Value::set(p.to_string(), o.clone(), "pattern"),
                None => Value::defaulted(String::new(), o, "pattern"),
            },
            metric_name,
            namespace,
            meta,
        });
    }
    sh.progress.unit_done(m.metric_filters.len());
    m
}
