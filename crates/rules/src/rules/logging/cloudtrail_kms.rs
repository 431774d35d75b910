//! AWS-CT-003: CloudTrail logs are encrypted with a KMS key.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every trail (`aws_cloudtrail`) sets `kms_key_id`, so that log files
    /// are encrypted with SSE-KMS.
    ///
    /// ## Why it matters (SOC 2)
    /// CC7.2 relies on audit logs that only authorised people can read; CC6.1 on keys
    /// that control access to sensitive data. Trail logs reveal the account's structure
    /// and activity. With a customer managed key, reading them needs `kms:Decrypt` in
    /// addition to S3 access, and every read is itself logged (CIS AWS Foundations 3.5).
    ///
    /// ## Default assumed
    /// Without `kms_key_id`, log files are encrypted with SSE-S3 only (provider docs).
    ///
    /// ## Not evaluated
    /// When `kms_key_id` comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_cloudtrail" "main" {
    ///   name           = "main"
    ///   s3_bucket_name = aws_s3_bucket.trail.id
    ///   kms_key_id     = aws_kms_key.trail.arn
    /// }
    /// ```
    pub struct CloudtrailKms {
        id: "AWS-CT-003",
        slug: "cloudtrail-kms",
        title: "CloudTrail logs are encrypted with a KMS key",
        severity: Medium,
        family: Logging,
    }
}

impl Rule for CloudtrailKms {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for t in &model.aws.cloudtrails {
            out.require(&t.meta, &t.kms_key, Option::is_some, |_| {
                "trail log files are not encrypted with a KMS key (kms_key_id)".to_string()
            });
        }
    }
}
