//! AWS-S3-003: S3 buckets log server access.

use crate::model::{Model, Resolved};
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every S3 bucket has server access logging configured (inline
    /// `logging {}` block or a separate `aws_s3_bucket_logging`). Buckets that
    /// themselves receive access logs are exempt: the target of another bucket's
    /// logging configuration, a bucket with the `log-delivery-write` ACL, or one whose
    /// policy lets `logging.s3.amazonaws.com` write to it (logging a log bucket into
    /// itself loops, and into a third bucket only moves the problem).
    ///
    /// ## Why it matters (SOC 2)
    /// CC7.2 expects the activity on stored customer data to be recorded: access logs
    /// show who read or changed which object, which CloudTrail records only when data
    /// events are enabled (at extra cost).
    ///
    /// ## Default assumed
    /// Access logging is off unless configured.
    ///
    /// ## Not evaluated
    /// When a logging configuration in scope cannot be tied to a bucket (its `bucket`
    /// is unknown), or when the bucket might be the target of a logging configuration
    /// whose `target_bucket` is unknown.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_s3_bucket_logging" "data" {
    ///   bucket        = aws_s3_bucket.data.id
    ///   target_bucket = aws_s3_bucket.access_logs.id
    ///   target_prefix = "data/"
    /// }
    /// ```
    pub struct S3BucketAccessLogging {
        id: "AWS-S3-003",
        slug: "s3-bucket-access-logging",
        title: "S3 buckets have server access logging",
        severity: Medium,
        family: Logging,
    }
}

impl Rule for S3BucketAccessLogging {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for (i, b) in model.aws.s3_buckets.iter().enumerate() {
            let l = &b.access_logging;
            let logs = l.known().copied();
            match (model.receives_access_logs(i).value, logs) {
                (Resolved::Set(true) | Resolved::Defaulted(true), _) => continue,
                (Resolved::Unknown(r), Some(false)) => out.not_evaluated(
                    &b.meta,
                    &l.origin,
                    &l.path,
                    format!("the bucket may receive access logs: {r}"),
                ),
                _ => out.require_true(&b.meta, l, "bucket has no server access logging"),
            }
        }
    }
}
