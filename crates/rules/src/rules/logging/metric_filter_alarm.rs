//! AWS-CW-001: security metric filters on CloudTrail logs have an alarm.

use crate::model::aws::cloudwatch_alarms::MetricFilter;
use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

/// Fields of CloudTrail events; a filter pattern using one filters CloudTrail logs.
const CLOUDTRAIL_FIELDS: [&str; 6] = [
    "$.eventName",
    "$.eventSource",
    "$.userIdentity",
    "$.errorCode",
    "$.sourceIPAddress",
    "$.additionalEventData",
];

/// Whether the filter is a security filter on CloudTrail events.
fn is_cloudtrail_filter(f: &MetricFilter) -> Option<bool> {
    f.pattern
        .known()
        .map(|p| CLOUDTRAIL_FIELDS.iter().any(|k| p.contains(k)))
}

crate::declare_rule! {
    /// ## What it does
    /// Checks that every CloudWatch Logs metric filter on CloudTrail events
    /// (`aws_cloudwatch_log_metric_filter` whose `pattern` uses CloudTrail fields such as
    /// `$.eventName`, `$.eventSource`, `$.userIdentity`, `$.errorCode`) has an
    /// `aws_cloudwatch_metric_alarm` on the metric it publishes (same `metric_name` and
    /// `namespace`, directly or in a `metric_query`). The finding is reported on the
    /// filter. Filters on application logs are not checked.
    ///
    /// ## Why it matters (SOC 2)
    /// CC7.2 and CC7.3 expect security events to be detected and evaluated promptly. A
    /// metric filter counting root logins, IAM policy changes or console sign-in failures
    /// alerts no one until an alarm watches its metric (CIS AWS Foundations section 4).
    ///
    /// ## Default assumed
    /// None.
    ///
    /// ## Not evaluated
    /// When the filter's pattern is unknown and no alarm is known to watch its metric,
    /// when its metric name or namespace is unknown, or when no alarm is known to watch
    /// the metric and some alarm's metric is unknown.
    /// On live scans: in an account and region whose metric filters or alarms could not
    /// be read (`logs:DescribeMetricFilters` or `cloudwatch:DescribeAlarms` denied or
    /// failed).
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_cloudwatch_metric_alarm" "root_login" {
    ///   alarm_name          = "root-account-usage"
    ///   metric_name         = aws_cloudwatch_log_metric_filter.root_login.metric_transformation[0].name
    ///   namespace           = "CISBenchmark"
    ///   statistic           = "Sum"
    ///   period              = 300
    ///   evaluation_periods  = 1
    ///   threshold           = 1
    ///   comparison_operator = "GreaterThanOrEqualToThreshold"
    ///   alarm_actions       = [aws_sns_topic.security.arn]
    /// }
    /// ```
    pub struct MetricFilterAlarm {
        id: "AWS-CW-001",
        slug: "metric-filter-alarm",
        title: "Security metric filters on CloudTrail logs have an alarm",
        severity: Medium,
        family: Logging,
    }
}

impl Rule for MetricFilterAlarm {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for (i, f) in model.aws.metric_filters.iter().enumerate() {
            let in_scope = is_cloudtrail_filter(f);
            if in_scope == Some(false) {
                continue;
            }
            if let Some(reason) = super::security_event_alarms::unread_monitoring(model, &f.meta) {
                out.not_evaluated(&f.meta, &f.metric_name.origin, &f.metric_name.path, reason);
                continue;
            }
            let (name, ns) = match (f.metric_name.known(), f.namespace.known()) {
                (Some(n), Some(s)) => (n, s),
                _ => {
                    let v = if f.metric_name.known().is_none() {
                        &f.metric_name
                    } else {
                        &f.namespace
                    };
                    if in_scope == Some(true) {
                        out.not_evaluated(
                            &f.meta,
                            &v.origin,
                            &v.path,
                            v.unknown_reason().unwrap_or_default().to_string(),
                        );
                    }
                    continue;
                }
            };
            // The alarms on the filter's metric in its account and region (or root module).
            let alarms = model.filter_alarms(i);
            let at = &f.metric_name;
            if !alarms.watching.is_empty() {
                out.pass(&f.meta, &at.origin, &at.path);
            } else if let Some(reason) = f.pattern.unknown_reason() {
                out.not_evaluated(
                    &f.meta,
                    &f.pattern.origin,
                    &f.pattern.path,
                    reason.to_string(),
                );
            } else if !alarms.unknown.is_empty() {
                out.not_evaluated(
                    &f.meta,
                    &at.origin,
                    &at.path,
                    "no alarm is known to watch the metric, and the metric of some alarm is unknown",
                );
            } else {
                out.fail(
                    &f.meta,
                    &at.origin,
                    &at.path,
                    format!("no CloudWatch alarm watches the metric {ns}/{name} of this security metric filter"),
                );
            }
        }
    }
}
