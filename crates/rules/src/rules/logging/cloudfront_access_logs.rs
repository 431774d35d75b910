//! AWS-CF-020: CloudFront distributions write access logs.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every CloudFront distribution (`aws_cloudfront_distribution`) has a
    /// `logging_config` block (standard access logs to S3).
    ///
    /// ## Why it matters (SOC 2)
    /// CC7.2 expects monitoring of the system's entry points: the edge sees every viewer
    /// request, including those answered from cache that never reach the origin's logs.
    ///
    /// ## Default assumed
    /// Standard logging is off without `logging_config` (provider docs). Logs delivered
    /// through CloudWatch vended-log delivery (`aws_cloudwatch_log_delivery`) are not
    /// seen: suppress with a justification then.
    ///
    /// ## Not evaluated
    /// When `logging_config` is a `dynamic` block that cannot be expanded.
    /// On a live scan, when `ListDistributions` or the distribution's
    /// `GetDistributionConfig` is denied or fails (moto 5.1 writes CloudFront booleans
    /// as `True`/`False`, which the AWS SDK rejects: not evaluated against it).
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_cloudfront_distribution" "site" {
    ///   logging_config {
    ///     bucket          = aws_s3_bucket.cf_logs.bucket_domain_name
    ///     include_cookies = false
    ///     prefix          = "site/"
    ///   }
    ///   # ...
    /// }
    /// ```
    pub struct CloudfrontAccessLogs {
        id: "AWS-CF-020",
        slug: "cloudfront-access-logs",
        title: "CloudFront distributions write access logs",
        severity: Medium,
        family: Logging,
    }
}

impl Rule for CloudfrontAccessLogs {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for d in &model.aws.cloudfront_distributions {
            out.require_true(
                &d.meta,
                &d.logging,
                "the distribution writes no access logs (logging_config)",
            );
        }
    }
}
