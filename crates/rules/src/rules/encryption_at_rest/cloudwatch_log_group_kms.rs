//! AWS-CWL-001: CloudWatch log groups are encrypted with a KMS key.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every CloudWatch Logs log group (`aws_cloudwatch_log_group`) sets
    /// `kms_key_id`.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 and C1.1: application logs routinely contain customer identifiers, request
    /// payloads and tokens. Log data is always encrypted by the service, but only a
    /// customer managed key puts a key policy, CloudTrail records of each use and a
    /// revocation switch in front of it, separately from the `logs:` IAM permissions.
    ///
    /// ## Default assumed
    /// Without `kms_key_id` the log group uses a CloudWatch Logs service key (AWS
    /// provider docs for `aws_cloudwatch_log_group`).
    ///
    /// ## Not evaluated
    /// When `kms_key_id` comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_cloudwatch_log_group" "app" {
    ///   name              = "/app/api"
    ///   retention_in_days = 365
    ///   kms_key_id        = aws_kms_key.logs.arn
    /// }
    /// ```
    pub struct CloudwatchLogGroupKms {
        id: "AWS-CWL-001",
        slug: "cloudwatch-log-group-kms",
        title: "CloudWatch log groups are encrypted with a KMS key",
        severity: Medium,
        family: EncryptionAtRest,
    }
}

impl Rule for CloudwatchLogGroupKms {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for g in &model.aws.log_groups {
            out.require(
                &g.meta,
                &g.kms_key,
                |k| k.is_some(),
                |_| "log group is not encrypted with a KMS key".to_string(),
            );
        }
    }
}
