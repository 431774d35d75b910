//! AWS-S3-004: S3 buckets have versioning enabled.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every S3 bucket has versioning `Enabled`, through a separate
    /// `aws_s3_bucket_versioning` (provider v4+) or the inline `versioning { enabled =
    /// true }` block (provider v3). `Suspended` fails.
    ///
    /// ## Why it matters (SOC 2)
    /// A1.2 expects recoverable data and CC8.1 controlled change: versioning keeps every
    /// overwritten or deleted object, so an accidental or malicious delete (including
    /// ransomware re-encrypting objects) can be reverted.
    ///
    /// ## Default assumed
    /// Buckets are unversioned unless configured.
    ///
    /// ## Not evaluated
    /// When the status comes from a variable without a value, or a versioning resource
    /// in scope could configure the bucket but its `bucket` cannot be resolved.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_s3_bucket_versioning" "data" {
    ///   bucket = aws_s3_bucket.data.id
    ///   versioning_configuration {
    ///     status = "Enabled"
    ///   }
    /// }
    /// ```
    pub struct S3BucketVersioning {
        id: "AWS-S3-004",
        slug: "s3-bucket-versioning",
        title: "S3 buckets have versioning enabled",
        severity: Medium,
        family: Backup,
    }
}

impl Rule for S3BucketVersioning {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for b in &model.aws.s3_buckets {
            out.require_true(&b.meta, &b.versioning, "bucket versioning is not enabled");
        }
    }
}
