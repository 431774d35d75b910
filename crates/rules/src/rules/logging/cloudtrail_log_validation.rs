//! AWS-CT-002: CloudTrail log file integrity validation is enabled.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every CloudTrail trail (`aws_cloudtrail`) has
    /// `enable_log_file_validation = true`.
    ///
    /// ## Why it matters (SOC 2)
    /// CC7.2 expects audit logs whose integrity can be shown. With validation on,
    /// CloudTrail writes signed digest files, so deletion or modification of a log file
    /// can be detected — evidence an auditor relies on.
    ///
    /// ## Default assumed
    /// `enable_log_file_validation` defaults to `false` (AWS provider docs).
    ///
    /// ## Not evaluated
    /// When the value comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_cloudtrail" "main" {
    ///   name                       = "main"
    ///   s3_bucket_name             = aws_s3_bucket.trail.id
    ///   enable_log_file_validation = true
    /// }
    /// ```
    pub struct CloudtrailLogValidation {
        id: "AWS-CT-002",
        slug: "cloudtrail-log-validation",
        title: "CloudTrail log file validation is enabled",
        severity: Medium,
        family: Logging,
    }
}

impl Rule for CloudtrailLogValidation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for t in &model.aws.cloudtrails {
            out.require_true(
                &t.meta,
                &t.log_file_validation,
                "trail log files are not integrity-validated",
            );
        }
    }
}
