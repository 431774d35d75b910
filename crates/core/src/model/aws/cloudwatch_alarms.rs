//! CloudWatch monitoring: log metric filters and the metric alarms that watch them.

use serde::Serialize;

use crate::model::{ResourceMeta, Value};

/// A log metric filter (`aws_cloudwatch_log_metric_filter`, `DescribeMetricFilters`).
#[derive(Debug, Clone, Serialize)]
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
#[derive(Debug, Clone, Serialize)]
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
}
