//! AWS-CWL-020: CloudWatch log groups keep their events long enough.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every CloudWatch Logs log group (`aws_cloudwatch_log_group`) keeps its
    /// events at least `log_retention_days` days (setting, default 365), or forever
    /// (`retention_in_days = 0` or absent). Every log group is checked, not only those
    /// named like audit logs: names do not tell which logs an investigation will need,
    /// and retention is cheap; suppress debug-only groups with a justification.
    ///
    /// ## Why it matters (SOC 2)
    /// CC7.2 expects logs to be retained for investigation, and a Type II audit samples
    /// evidence across a 3-12 month period: logs that expire earlier leave gaps the
    /// auditor will find.
    ///
    /// ## Default assumed
    /// `retention_in_days` defaults to 0: events never expire (provider docs), which
    /// passes.
    ///
    /// ## Not evaluated
    /// When the value comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_cloudwatch_log_group" "app" {
    ///   name              = "/app/prod"
    ///   retention_in_days = 365
    /// }
    /// ```
    pub struct CloudwatchLogRetention {
        id: "AWS-CWL-020",
        slug: "cloudwatch-log-retention",
        title: "CloudWatch log groups retain events for at least a year",
        severity: Medium,
        family: Logging,
    }
}

impl Rule for CloudwatchLogRetention {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        let min = out.settings().log_retention_days;
        for g in &model.aws.log_groups {
            out.require(
                &g.meta,
                &g.retention_days,
                |d| *d == 0 || *d >= min,
                |d| format!("log events are kept {d} days, less than {min}"),
            );
        }
    }
}
