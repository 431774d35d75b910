//! AWS-S3-010: buckets tagged as holding confidential data use SSE-KMS.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every S3 bucket whose classification tag marks it confidential uses
    /// SSE-KMS (`aws:kms` or `aws:kms:dsse`) for default encryption. The tag key and
    /// values come from the project settings: `classification_tag` (default
    /// `DataClassification`) and `confidential_tag_values` (default `confidential`,
    /// `restricted`; compared case-insensitively). Buckets without the tag, or with
    /// another value, are not checked.
    ///
    /// ## Why it matters (SOC 2)
    /// C1.1 expects confidential information to be identified and protected; CC6.1
    /// expects encryption keys to be protected. Every bucket is encrypted with SSE-S3,
    /// but only SSE-KMS makes reading an object also require permission on the key,
    /// records each use in CloudTrail, and lets access be revoked by disabling the key.
    ///
    /// ## Default assumed
    /// A bucket without an encryption configuration uses SSE-S3 (`AES256`) since January
    /// 2023 (S3 User Guide, "Setting default server-side encryption behavior"), which
    /// fails here. Tags set only through the provider's `default_tags` are not seen.
    ///
    /// ## Not evaluated
    /// When the bucket's `tags` or the classification tag's value come from a variable
    /// without a value, or the tagged bucket's encryption algorithm is unknown.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_s3_bucket_server_side_encryption_configuration" "customer_data" {
    ///   bucket = aws_s3_bucket.customer_data.id
    ///   rule {
    ///     apply_server_side_encryption_by_default {
    ///       sse_algorithm     = "aws:kms"
    ///       kms_master_key_id = aws_kms_key.s3.arn
    ///     }
    ///     bucket_key_enabled = true
    ///   }
    /// }
    /// ```
    pub struct S3ConfidentialBucketKms {
        id: "AWS-S3-010",
        slug: "s3-confidential-bucket-kms",
        title: "Buckets tagged confidential use SSE-KMS",
        severity: Medium,
        family: EncryptionAtRest,
    }
}

impl Rule for S3ConfidentialBucketKms {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        let key = out.settings().classification_tag.clone();
        let values = out.settings().confidential_tag_values.clone();
        for b in &model.aws.s3_buckets {
            let confidential = b.tags.tag_in(&key, &values, "bucket", "classification");
            if !out.applies(&b.meta, &confidential) {
                continue;
            }
            out.require(
                &b.meta,
                &b.sse_algorithm,
                |a| a.starts_with("aws:kms"),
                |a| format!("bucket is tagged {key} as confidential but uses {a}, not SSE-KMS"),
            );
        }
    }
}
