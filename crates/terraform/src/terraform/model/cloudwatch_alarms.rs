//! CloudWatch: `aws_cloudwatch_log_metric_filter` and `aws_cloudwatch_metric_alarm`.

use super::join::Ctx;
use super::read::Reader;
use crate::model::aws::cloudwatch_alarms::{MetricAlarm, MetricFilter};
use crate::model::aws::AwsModel;
use crate::model::Value;

/// Adds metric filters and metric alarms to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    for r in ctx.managed(&["aws_cloudwatch_log_metric_filter"]) {
        let rd = Reader::new(r);
        let (metric_name, namespace) = match rd.first("metric_transformation") {
            Some(t) => (t.string("name", ""), t.string("namespace", "")),
            None => {
                let reason = rd
                    .block
                    .unknown_blocks_of("metric_transformation")
                    .map(|u| u.reason.clone())
                    .unwrap_or_else(|| "the filter has no metric transformation".into());
                (
                    Value::unknown(
                        reason.clone(),
                        rd.owner_origin(),
                        "metric_transformation.name",
                    ),
                    Value::unknown(reason, rd.owner_origin(), "metric_transformation.namespace"),
                )
            }
        };
        aws.metric_filters.push(MetricFilter {
            meta: ctx.meta(r),
            pattern: rd.string("pattern", ""),
            metric_name,
            namespace,
        });
    }
    for r in ctx.managed(&["aws_cloudwatch_metric_alarm"]) {
        let rd = Reader::new(r);
        let mut query_metrics = Vec::new();
        for q in rd.all("metric_query") {
            for m in q.all("metric") {
                query_metrics.push((m.string("metric_name", ""), m.string("namespace", "")));
            }
        }
        if let Some(u) = rd.block.unknown_blocks_of("metric_query") {
            let at = rd.origin_at(u.pos);
            query_metrics.push((
                Value::unknown(
                    u.reason.clone(),
                    at.clone(),
                    "metric_query.metric.metric_name",
                ),
                Value::unknown(u.reason.clone(), at, "metric_query.metric.namespace"),
            ));
        }
        aws.metric_alarms.push(MetricAlarm {
            meta: ctx.meta(r),
            metric_name: rd.opt_ref("metric_name"),
            namespace: rd.opt_ref("namespace"),
            query_metrics,
        });
    }
}
