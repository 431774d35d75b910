//! CloudWatch monitoring: log metric filters and the metric alarms that watch them.

use serde::{Deserialize, Serialize};

use crate::model::{Resolved, ResourceMeta, Value};

/// A log metric filter (`aws_cloudwatch_log_metric_filter`, `DescribeMetricFilters`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MetricFilter {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `pattern`: the filter pattern.
    pub pattern: Value<String>,
    /// `metric_transformation.name`: the metric the filter publishes.
    pub metric_name: Value<String>,
    /// `metric_transformation.namespace`.
    pub namespace: Value<String>,
}

/// A metric alarm (`aws_cloudwatch_metric_alarm`, `DescribeAlarms`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MetricAlarm {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `metric_name`; `Defaulted(None)` for alarms built from `metric_query` blocks
    /// (whose metrics are listed in `query_metrics`).
    pub metric_name: Value<Option<String>>,
    /// `namespace`; `Defaulted(None)` for metric-math alarms.
    pub namespace: Value<Option<String>>,
    /// Metrics named by `metric_query { metric { metric_name, namespace } }` blocks, as
    /// `(name, namespace)` values.
    pub query_metrics: Vec<(Value<String>, Value<String>)>,
    /// `actions_enabled`; `Defaulted(true)` (provider and API default).
    pub actions_enabled: Value<bool>,
    /// How many actions `alarm_actions` lists (SNS topics, Auto Scaling or EC2 actions,
    /// Systems Manager incidents), known even when the entries themselves are not;
    /// `Defaulted(0)` when not written.
    pub alarm_actions: Value<usize>,
    /// Whether a composite alarm (`aws_cloudwatch_composite_alarm`) of the same account
    /// and region (or root module) names this alarm in its rule, so that the composite
    /// alarm notifies for it; `Defaulted(false)` when none does; unknown when the rule
    /// of a composite alarm, or this alarm's name, is unknown.
    pub in_composite: Value<bool>,
}

/// Whether composite alarm rule `rule` names alarm `name` as an argument of a state
/// function (`ALARM("name")`, `OK(name)`, `INSUFFICIENT_DATA('name')`): the name or the
/// alarm's ARN (`arn:aws:cloudwatch:…:alarm:name`), unquoted, is one of the
/// parenthesised arguments. The Terraform and the live adapter both decide
/// [`MetricAlarm::in_composite`] with it.
pub fn rule_names_alarm(rule: &str, name: &str) -> bool {
    rule.split('(')
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .map(|arg| arg.trim().trim_matches(['\u{22}', '\'']).trim())
        .any(|arg| {
            arg == name
                || arg
                    .strip_suffix(name)
                    .is_some_and(|p| p.ends_with(":alarm:"))
        })
}

impl MetricAlarm {
    /// Whether the alarm watches the metric `name` in namespace `ns`, directly or in a
    /// `metric_query`: `Some(true)`, `Some(false)`, or `None` when the alarm's metric is
    /// unknown.
    pub fn watches(&self, name: &str, ns: &str) -> Option<bool> {
        let same = |a: &Value<String>, b: &str| a.known().map(|x| x == b);
        let mut unknown = false;
        let direct = match (&self.metric_name.value, &self.namespace.value) {
            (Resolved::Unknown(_), _) | (_, Resolved::Unknown(_)) => None,
            (Resolved::Set(Some(n)) | Resolved::Defaulted(Some(n)), nsv) => {
                let ns_ok = match nsv {
                    Resolved::Set(Some(x)) | Resolved::Defaulted(Some(x)) => x == ns,
                    _ => false,
                };
                Some(n == name && ns_ok)
            }
            _ => Some(false),
        };
        match direct {
            Some(true) => return Some(true),
            None => unknown = true,
            Some(false) => {}
        }
        for (n, s) in &self.query_metrics {
            match (same(n, name), same(s, ns)) {
                (Some(true), Some(true)) => return Some(true),
                (Some(false), _) | (_, Some(false)) => {}
                _ => unknown = true,
            }
        }
        if unknown {
            None
        } else {
            Some(false)
        }
    }
}
