//! CloudWatch in one region: metric alarms (the metric they watch, directly or in a
//! metric query, whether they act and on whose behalf) and the composite alarms that
//! name them.

use aws_config::SdkConfig;
use aws_sdk_cloudwatch::types::{AlarmType, CompositeAlarm, MetricAlarm as SdkAlarm};
use aws_sdk_cloudwatch::Client;

use super::ctx::{Scope, Shared};
use crate::model::aws::cloudwatch_alarms::{rule_names_alarm, MetricAlarm};
use crate::model::aws::AwsModel;
use crate::model::{Origin, Value};

const SVC: &str = "cloudwatch";

/// Reads every alarm of `scope.region`: `DescribeAlarms` for metric and composite
/// alarms (`AlarmTypes`) to the end. The composite alarms are not a collection of their
/// own: they decide whether a metric alarm of the same account and region is part of
/// one ([`MetricAlarm::in_composite`]).
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let r = scope.region.as_ref();
    let mut m = AwsModel::default();
    let Some(pages) = sh.listed(
        scope,
        "CloudWatch alarms",
        &["aws.metric_alarms"],
        sh.pages(SVC, r, "DescribeAlarms", || {
            c.describe_alarms()
                .alarm_types(AlarmType::MetricAlarm)
                .alarm_types(AlarmType::CompositeAlarm)
                .into_paginator()
                .send()
        })
        .await,
    ) else {
        return m;
    };
    let metric: Vec<&SdkAlarm> = pages.iter().flat_map(|p| p.metric_alarms()).collect();
    let composite: Vec<&CompositeAlarm> = pages.iter().flat_map(|p| p.composite_alarms()).collect();
    m.metric_alarms = alarms(scope, &metric, &composite);
    sh.progress.unit_done(m.metric_alarms.len());
    m
}

/// The model of the metric alarms `metric` of `scope`, with the composite alarms
/// `composite` of the same account and region.
fn alarms(scope: &Scope, metric: &[&SdkAlarm], composite: &[&CompositeAlarm]) -> Vec<MetricAlarm> {
    let mut out = Vec::new();
    for a in metric {
        let Some(name) = a.alarm_name() else {
            continue;
        };
        let arn = a
            .alarm_arn()
            .map(str::to_string)
            .unwrap_or_else(|| scope.arn(SVC, &format!("alarm:{name}")));
        let meta = scope.meta(&arn, "aws_cloudwatch_metric_alarm");
        let o = meta.origin.clone();
        let opt = |v: Option<&str>, path: &str| match v {
            Some(x) => Value::set(Some(x.to_string()), o.clone(), path),
            None => Value::defaulted(None, o.clone(), path),
        };
        let text = |v: Option<&str>, path: &str| match v {
            Some(x) => Value::set(x.to_string(), o.clone(), path),
            None => Value::defaulted(String::new(), o.clone(), path),
        };
        let query_metrics = a
            .metrics()
            .iter()
            .filter_map(|q| q.metric_stat()?.metric())
            .map(|m| {
                (
                    text(m.metric_name(), "metric_query.metric.metric_name"),
                    text(m.namespace(), "metric_query.metric.namespace"),
                )
            })
            .collect();
        out.push(MetricAlarm {
            metric_name: opt(a.metric_name(), "metric_name"),
            namespace: opt(a.namespace(), "namespace"),
            query_metrics,
            actions_enabled: match a.actions_enabled() {
                Some(b) => Value::set(b, o.clone(), "actions_enabled"),
                None => Value::defaulted(true, o.clone(), "actions_enabled"),
            },
            alarm_actions: Value::set(a.alarm_actions().len(), o.clone(), "alarm_actions"),
            in_composite: in_composite(scope, composite, name, &o),
            meta,
        });
    }
    out
}

/// Whether a composite alarm of `composite` names the alarm `name` in its rule: set at
/// the first that does, `Defaulted(false)` when none does, unknown when the rule of one
/// that might is missing from the answer.
fn in_composite(
    scope: &Scope,
    composite: &[&CompositeAlarm],
    name: &str,
    alarm: &Origin,
) -> Value<bool> {
    let path = "in_composite";
    let mut unknown = None;
    for c in composite {
        let c_name = c.alarm_name().unwrap_or_default();
        let c_arn = c
            .alarm_arn()
            .map(str::to_string)
            .unwrap_or_else(|| scope.arn(SVC, &format!("alarm:{c_name}")));
        match c.alarm_rule() {
            Some(rule) if rule_names_alarm(rule, name) => {
                return Value::set(true, scope.origin(&c_arn), "alarm_rule");
            }
            Some(_) => {}
            None => {
                unknown.get_or_insert_with(|| {
                    format!(
                        "whether composite alarm {c_arn} includes this alarm is unknown: DescribeAlarms returned no rule for it"
                    )
                });
            }
        }
    }
    match unknown {
        Some(reason) => Value::unknown(reason, alarm.clone(), path),
        None => Value::defaulted(false, alarm.clone(), path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_cloudwatch::types::{Metric, MetricDataQuery, MetricStat};

    fn scope() -> Scope {
        Scope {
            partition: "aws".into(),
            account: "123456789012".into(),
            region: "eu-west-1".into(),
        }
    }

    fn arn(o: &Origin) -> &str {
        match o {
            Origin::Aws { arn, .. } => arn,
            _ => "",
        }
    }

    fn composite(name: &str, rule: Option<&str>) -> CompositeAlarm {
        CompositeAlarm::builder()
            .alarm_name(name)
            .alarm_arn(format!(
                "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:{name}"
            ))
            .set_alarm_rule(rule.map(str::to_string))
            .build()
    }

    /// Direct and metric-math alarms, actions, and the composite alarms that name
    /// them by name or ARN (moto 5.1 cannot create composite alarms, so this is where
    /// their reading is tested).
    #[test]
    fn alarms_and_composites() {
        let direct = SdkAlarm::builder()
            .alarm_name("root-usage")
            .alarm_arn("arn:aws:cloudwatch:eu-west-1:123456789012:alarm:root-usage")
            .metric_name("RootUsage")
            .namespace("CISBenchmark")
            .alarm_actions("arn:aws:sns:eu-west-1:123456789012:security")
            .actions_enabled(true)
            .build();
        let math = SdkAlarm::builder()
            .alarm_name("db-cpu")
            .actions_enabled(false)
            .metrics(
                MetricDataQuery::builder()
                    .id("m1")
                    .metric_stat(
                        MetricStat::builder()
                            .metric(
                                Metric::builder()
                                    .metric_name("CPUUtilization")
                                    .namespace("AWS/RDS")
                                    .build(),
                            )
                            .build(),
                    )
                    .build(),
            )
            .metrics(
                MetricDataQuery::builder()
                    .id("e1")
                    .expression("m1*2")
                    .build(),
            )
            .build();
        let quiet = SdkAlarm::builder().alarm_name("quiet").build();
        let comp = composite(
            "any",
            Some("ALARM(arn:aws:cloudwatch:eu-west-1:123456789012:alarm:db-cpu) OR OK(\"x\")"),
        );
        let got = alarms(&scope(), &[&direct, &math, &quiet], &[&comp]);
        assert_eq!(got.len(), 3);
        let d = &got[0];
        assert_eq!(
            &*d.meta.address,
            "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:root-usage"
        );
        assert_eq!(d.watches("RootUsage", "CISBenchmark"), Some(true));
        assert_eq!(d.alarm_actions.known(), Some(&1));
        assert_eq!(d.actions_enabled.known(), Some(&true));
        assert_eq!(d.in_composite.known(), Some(&false));
        let m = &got[1];
        assert_eq!(
            &*m.meta.address, "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:db-cpu",
            "the ARN is made when the answer has none"
        );
        assert_eq!(m.metric_name.known(), Some(&None));
        assert_eq!(m.query_metrics.len(), 1);
        assert_eq!(m.watches("CPUUtilization", "AWS/RDS"), Some(true));
        assert_eq!(m.actions_enabled.known(), Some(&false));
        assert_eq!(m.in_composite.known(), Some(&true));
        assert_eq!(
            arn(&m.in_composite.origin),
            "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:any"
        );
        let q = &got[2];
        assert_eq!(q.actions_enabled.known(), Some(&true), "the API default");
        assert_eq!(q.alarm_actions.known(), Some(&0));
        assert_eq!(q.in_composite.known(), Some(&false));
        assert_eq!(q.watches("RootUsage", "CISBenchmark"), Some(false));

        // A composite alarm whose rule is missing leaves the others unknown.
        let blind = composite("blind", None);
        let got = alarms(&scope(), &[&quiet], &[&blind]);
        assert!(got[0]
            .in_composite
            .unknown_reason()
            .is_some_and(|r| r.contains("alarm:blind")));
        // ... unless another names it.
        let named = composite("named", Some("ALARM(quiet)"));
        let got = alarms(&scope(), &[&quiet], &[&blind, &named]);
        assert_eq!(got[0].in_composite.known(), Some(&true));
    }
}
