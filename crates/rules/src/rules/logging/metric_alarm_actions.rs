//! AWS-CW-002: CloudWatch metric alarms notify someone or something.

use crate::model::aws::cloudwatch_alarms::MetricAlarm;
use crate::model::{Model, Value};
use crate::rules::{Emitter, Rule, RuleMeta};

/// Why the alarm acts on nobody's behalf, `None` when it does; located where it is decided.
fn no_action(a: &MetricAlarm) -> Value<Option<&'static str>> {
    let enabled = &a.actions_enabled;
    match enabled.try_known() {
        Err(r) => return Value::unknown(r, enabled.origin.clone(), enabled.path.clone()),
        Ok(false) => {
            return Value::set(
                Some("actions_enabled = false: the alarm changes state without acting"),
                enabled.origin.clone(),
                enabled.path.clone(),
            )
        }
        Ok(true) => {}
    }
    let actions = &a.alarm_actions;
    match actions.try_known() {
        Err(r) => Value::unknown(r, actions.origin.clone(), actions.path.clone()),
        Ok(n) if *n > 0 => Value::set(None, actions.origin.clone(), actions.path.clone()),
        Ok(_) => {
            let c = &a.in_composite;
            match c.try_known() {
                Err(r) => Value::unknown(r, c.origin.clone(), c.path.clone()),
                Ok(true) => Value::set(None, c.origin.clone(), c.path.clone()),
                Ok(false) => Value::set(
                    Some("no alarm_actions and no composite alarm includes it: the alarm notifies no one"),
                    actions.origin.clone(),
                    actions.path.clone(),
                ),
            }
        }
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Checks that every `aws_cloudwatch_metric_alarm` acts when it fires: `alarm_actions`
    /// lists at least one action (an SNS topic, an Auto Scaling policy, an EC2 or Systems
    /// Manager action) and `actions_enabled` is not `false`. An alarm without actions
    /// passes when an `aws_cloudwatch_composite_alarm` of the same configuration names it
    /// in its `alarm_rule` (`ALARM("name")`): the composite alarm acts for it. Entries of
    /// `alarm_actions` count even when their value is unknown (`[var.topic_arn]`).
    ///
    /// ## Why it matters (SOC 2)
    /// CC7.2 and CC7.3 expect anomalies to be detected and evaluated. An alarm that
    /// notifies no one records a state change on a console page nobody watches: the
    /// event it was built to catch (a root login, a failing backup, a saturated
    /// database) goes unanswered.
    ///
    /// ## Default assumed
    /// `actions_enabled` defaults to `true`; `alarm_actions` to none.
    ///
    /// ## Not evaluated
    /// When `actions_enabled` or the whole `alarm_actions` list is unknown, or the alarm
    /// has no action and the rule of some composite alarm (or this alarm's name) is
    /// unknown.
    /// On live scans: in an account and region whose alarms could not be read
    /// (`cloudwatch:DescribeAlarms` denied or failed); composite alarms come from the
    /// same call.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_cloudwatch_metric_alarm" "root_login" {
    ///   # ...
    ///   alarm_actions = [aws_sns_topic.security_alerts.arn]
    /// }
    /// ```
    pub struct MetricAlarmActions {
        id: "AWS-CW-002",
        slug: "metric-alarm-actions",
        title: "CloudWatch metric alarms have actions",
        severity: Medium,
        family: Logging,
    }
}

impl Rule for MetricAlarmActions {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for a in &model.aws.metric_alarms {
            out.require(&a.meta, &no_action(a), Option::is_none, |why| {
                why.unwrap_or_default().to_string()
            });
        }
    }
}
