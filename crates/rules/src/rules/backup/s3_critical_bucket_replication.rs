//! AWS-S3-011: buckets tagged as critical replicate their objects.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every S3 bucket whose criticality tag marks it critical has a
    /// replication configuration with at least one enabled rule (inline
    /// `replication_configuration` or an `aws_s3_bucket_replication_configuration`). The
    /// tag key and values come from the project settings: `criticality_tag` (default
    /// `Criticality`) and `critical_tag_values` (default `critical`; compared
    /// case-insensitively). Buckets without the tag are not checked.
    ///
    /// ## Why it matters (SOC 2)
    /// A1.2 and CC9.1: versioning protects against overwrites, not against the loss of a
    /// region or of the bucket itself; a replica in another region or account is the
    /// recovery copy for data the business cannot run without.
    ///
    /// ## Default assumed
    /// A bucket has no replication unless configured. Tags set only through the
    /// provider's `default_tags` are not seen.
    ///
    /// ## Not evaluated
    /// When the bucket's `tags` or the criticality tag's value come from a variable
    /// without a value, or a replication configuration in scope cannot be tied to a
    /// bucket.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_s3_bucket_replication_configuration" "ledger" {
    ///   bucket = aws_s3_bucket.ledger.id
    ///   role   = aws_iam_role.replication.arn
    ///   rule {
    ///     id     = "dr"
    ///     status = "Enabled"
    ///     destination {
    ///       bucket        = aws_s3_bucket.ledger_dr.arn
    ///       storage_class = "STANDARD_IA"
    ///     }
    ///   }
    /// }
    /// ```
    pub struct S3CriticalBucketReplication {
        id: "AWS-S3-011",
        slug: "s3-critical-bucket-replication",
        title: "Buckets tagged critical are replicated",
        severity: Medium,
        family: Backup,
    }
}

impl Rule for S3CriticalBucketReplication {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        let key = out.settings().criticality_tag.clone();
        let values = out.settings().critical_tag_values.clone();
        for b in &model.aws.s3_buckets {
            let critical = b.tags.tag_in(&key, &values, "bucket", "criticality");
            if !out.applies(&b.meta, &critical) {
                continue;
            }
            out.require_true(
                &b.meta,
                &b.replication,
                &format!("bucket is tagged {key} as critical but is not replicated"),
            );
        }
    }
}
