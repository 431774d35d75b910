//! CloudWatch: `aws_cloudwatch_log_metric_filter` and `aws_cloudwatch_metric_alarm`,
//! with the composite alarms (`aws_cloudwatch_composite_alarm`) that name them.

use super::join::Ctx;
use super::read::Reader;
use crate::model::aws::cloudwatch_alarms::{MetricAlarm, MetricFilter};
use crate::model::aws::AwsModel;
use crate::model::Value;
use crate::terraform::ir::{Dyn, Resource};

/// The number of entries of list attribute `name`: known when the list is, even if its
/// entries are not; `Defaulted(0)` when absent or null.
fn list_len(rd: &Reader<'_>, name: &str) -> Value<usize> {
    let Some(a) = rd.attr(name) else {
        return Value::defaulted(0, rd.owner_origin(), rd.path(name));
    };
    let at = rd.origin_at(a.pos);
    match &a.value {
        Dyn::Null => Value::defaulted(0, at, rd.path(name)),
        Dyn::List(items) => Value::set(items.len(), at, rd.path(name)),
        Dyn::Unknown(u) => Value::unknown(u.reason.clone(), at, rd.path(name)),
        _ => Value::unknown(format!("`{name}` is not a list"), at, rd.path(name)),
    }
}

/// Whether a composite alarm of `r`'s root module names `r` (by its `alarm_name` in an
/// `ALARM(...)`-style function of its `alarm_rule`).
fn in_composite(ctx: &Ctx<'_>, composites: &[&Resource], r: &Resource) -> Value<bool> {
    let rd = Reader::new(r);
    let path = "in_composite";
    let mut unknown = None;
    let name = rd.string("alarm_name", "");
    for c in composites.iter().filter(|c| ctx.same_root(c, r)) {
        let crd = Reader::new(c);
        let rule = crd.string("alarm_rule", "");
        match (rule.known(), name.known()) {
            (Some(text), Some(n)) if !n.is_empty() && names_alarm(text, n) => {
                return Value::set(true, rule.origin.clone(), path);
            }
            (Some(_), Some(_)) => {}
            _ => {
                let reason = rule
                    .unknown_reason()
                    .or(name.unknown_reason())
                    .unwrap_or("the alarm's name is unknown");
                unknown.get_or_insert_with(|| {
                    format!(
                        "whether composite alarm {} includes this alarm is unknown: {reason}",
                        c.address
                    )
                });
            }
        }
    }
    match unknown {
        Some(reason) => Value::unknown(reason, rd.owner_origin(), path),
        None => Value::defaulted(false, rd.owner_origin(), path),
    }
}

/// Whether composite alarm rule `rule` names alarm `name` (by name or ARN).
fn names_alarm(rule: &str, name: &str) -> bool {
    crate::model::aws::cloudwatch_alarms::rule_names_alarm(rule, name)
}

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
    let composites: Vec<&Resource> = ctx.managed(&["aws_cloudwatch_composite_alarm"]).collect();
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
            actions_enabled: rd.bool("actions_enabled", true),
            alarm_actions: list_len(&rd, "alarm_actions"),
            in_composite: in_composite(ctx, &composites, r),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::names_alarm;

    #[test]
    fn composite_rules_name_alarms_by_name_or_arn() {
        assert!(names_alarm("ALARM(\"api-5xx\") OR ALARM(db-cpu)", "db-cpu"));
        assert!(names_alarm(
            "ALARM(arn:aws:cloudwatch:eu-west-1:111111111111:alarm:api-5xx)",
            "api-5xx"
        ));
        assert!(!names_alarm("ALARM(\"api-5xx-high\")", "api-5xx"));
        assert!(!names_alarm("ALARM(\"other\")", "api-5xx"));
    }
}
