//! AWS-CT-004: CloudTrail delivers events to CloudWatch Logs.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every trail (`aws_cloudtrail`) sets `cloud_watch_logs_group_arn`, so
    /// its events are delivered to a CloudWatch Logs log group as well as to S3.
    ///
    /// ## Why it matters (SOC 2)
    /// CC7.2 and CC7.3 expect activity to be monitored and anomalies evaluated in time.
    /// Events in S3 can only be investigated after the fact; in CloudWatch Logs they feed
    /// metric filters and alarms (root logins, policy changes, console sign-in failures)
    /// that alert within minutes (CIS AWS Foundations 3.4 and section 4).
    ///
    /// ## Default assumed
    /// Without the attribute, events go to S3 only (provider docs).
    ///
    /// ## Not evaluated
    /// When the value comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_cloudtrail" "main" {
    ///   name                       = "main"
    ///   s3_bucket_name             = aws_s3_bucket.trail.id
    ///   cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
    ///   cloud_watch_logs_role_arn  = aws_iam_role.trail_to_cwl.arn
    /// }
    /// ```
    pub struct CloudtrailCloudwatchLogs {
        id: "AWS-CT-004",
        slug: "cloudtrail-cloudwatch-logs",
        title: "CloudTrail delivers events to CloudWatch Logs",
        severity: Medium,
        family: Logging,
    }
}

impl Rule for CloudtrailCloudwatchLogs {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for t in &model.aws.cloudtrails {
            out.require(&t.meta, &t.cloudwatch_logs_group, Option::is_some, |_| {
                "trail events are not delivered to CloudWatch Logs (cloud_watch_logs_group_arn)"
                    .to_string()
            });
        }
    }
}
