//! AWS-S3-001: S3 buckets encrypt objects at rest with a KMS key.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every S3 bucket's default encryption uses AWS KMS (`aws:kms` or
    /// `aws:kms:dsse`), declared on the bucket (provider v3 inline
    /// `server_side_encryption_configuration`) or in a separate
    /// `aws_s3_bucket_server_side_encryption_configuration` (provider v4+) that refers
    /// to the bucket or names it.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 and C1.1 expect stored customer data to be protected so that only
    /// authorised principals can read it. Since January 2023 S3 encrypts every new object
    /// with S3-managed keys (SSE-S3) by default, so data is never stored in clear; but
    /// anyone with `s3:GetObject` reads it, and SSE-S3 adds no access control or audit.
    /// SSE-KMS puts a key policy and an audit trail (CloudTrail `Decrypt` events) in
    /// front of every read. Because plain encryption at rest is now guaranteed by AWS,
    /// this rule checks the stronger control (a KMS key) and is Medium, not High.
    ///
    /// ## Default assumed
    /// A bucket without any encryption configuration is treated as SSE-S3 (`AES256`,
    /// the AWS default since 2023-01-05) and fails. Both the AWS managed key `aws/s3` and
    /// a customer managed key pass.
    ///
    /// ## Buckets that receive server access logs
    /// A bucket that another bucket's logging configuration targets (or that has the
    /// `log-delivery-write` ACL) is judged by what S3 server access log delivery
    /// supports: SSE-S3 (`AES256`) is the configuration AWS documents for a target
    /// bucket and passes, and SSE-KMS with the AWS managed key `aws/s3` fails, because
    /// log delivery cannot write objects with that key (the logs are silently lost). A
    /// customer managed key whose policy lets the logging service use it passes like
    /// on any bucket.
    ///
    /// ## Not evaluated
    /// When the algorithm comes from a variable without a value, when a `dynamic` rule
    /// block cannot be expanded, or when an encryption configuration in scope could
    /// target the bucket but its `bucket` cannot be resolved.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
    ///   bucket = aws_s3_bucket.data.id
    ///   rule {
    ///     apply_server_side_encryption_by_default {
    ///       sse_algorithm     = "aws:kms"
    ///       kms_master_key_id = aws_kms_key.data.arn
    ///     }
    ///   }
    /// }
    /// ```
    pub struct S3BucketEncryption {
        id: "AWS-S3-001",
        slug: "s3-bucket-encryption",
        title: "S3 bucket default encryption uses KMS",
        severity: Medium,
        family: EncryptionAtRest,
    }
}

impl Rule for S3BucketEncryption {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for (i, b) in model.aws.s3_buckets.iter().enumerate() {
            if model.receives_access_logs(i).known() == Some(&true) {
                check_log_target(b, out);
                continue;
            }
            out.require(
                &b.meta,
                &b.sse_algorithm,
                |alg| alg.starts_with("aws:kms"),
                |alg| {
                    format!("bucket is encrypted with {alg} (S3-managed keys), not with a KMS key")
                },
            );
        }
    }
}

/// The AWS managed key of S3, as `kms_master_key_id` may name it.
fn is_aws_managed_s3_key(key: &str) -> bool {
    key == "alias/aws/s3" || key.ends_with(":alias/aws/s3")
}

/// A bucket that receives server access logs: SSE-S3 passes (what log delivery
/// supports); SSE-KMS with the AWS managed `aws/s3` key fails (log delivery cannot
/// write with it); a customer managed key passes.
fn check_log_target(b: &crate::model::aws::s3::S3Bucket, out: &mut Emitter) {
    const UNUSABLE: &str = "bucket receives server access logs but is encrypted with the AWS \
                            managed key aws/s3, with which S3 log delivery cannot write: \
                            use SSE-S3 (AES256) or a customer managed key";
    match (b.sse_algorithm.known(), b.kms_key.known()) {
        (Some(alg), _) if !alg.starts_with("aws:kms") => {
            out.pass(&b.meta, &b.sse_algorithm.origin, &b.sse_algorithm.path)
        }
        (Some(_), Some(None)) => out.fail(
            &b.meta,
            &b.sse_algorithm.origin,
            &b.sse_algorithm.path,
            UNUSABLE.to_string(),
        ),
        (Some(_), Some(Some(key))) if is_aws_managed_s3_key(key) => out.fail(
            &b.meta,
            &b.kms_key.origin,
            &b.kms_key.path,
            UNUSABLE.to_string(),
        ),
        (Some(_), Some(Some(_))) => out.pass(&b.meta, &b.kms_key.origin, &b.kms_key.path),
        (None, _) => out.require(&b.meta, &b.sse_algorithm, |_| true, |_| String::new()),
        (Some(_), None) => out.require(&b.meta, &b.kms_key, |_| true, |_| String::new()),
    }
}
