//! AWS-S3-002: S3 bucket policies deny requests that do not use TLS.

use crate::model::aws::iam::{Effect, PolicyDocument};
use crate::model::{Model, Resolved};
use crate::rules::{Emitter, Rule, RuleMeta};

/// Whether a statement denies every principal all (or all S3) actions without TLS.
fn denies_insecure(doc: &PolicyDocument) -> bool {
    doc.statements.iter().any(|s| {
        s.effect == Effect::Deny
            && s.applies_to_everyone()
            && s.has_condition("Bool", "aws:SecureTransport", "false")
            && (s.actions.contains_ci("*") || s.actions.contains_ci("s3:*"))
    })
}

crate::declare_rule! {
    /// ## What it does
    /// Checks that every S3 bucket has a bucket policy (inline `policy` or a separate
    /// `aws_s3_bucket_policy`, as JSON, `jsonencode(...)` or a
    /// `data.aws_iam_policy_document`) with a statement that denies `s3:*` (or `*`) to
    /// every principal when `aws:SecureTransport` is `false` (`Bool` or `BoolIfExists`).
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.7: S3 accepts plain-HTTP requests unless the bucket policy refuses them;
    /// without the deny statement, a misconfigured client or SDK endpoint sends data and
    /// credentials-derived signatures in clear.
    ///
    /// ## Default assumed
    /// A bucket without a policy allows HTTP and fails. A `aws:SecureTransport`-only
    /// check is used: a `s3:TlsVersion` condition alone does not refuse plain HTTP.
    ///
    /// ## Not evaluated
    /// When the policy is unknown (built from values without a value, or a
    /// policy resource in scope whose `bucket` cannot be resolved), or when the policy
    /// includes documents that are unknown and no deny statement is visible.
    ///
    /// ## How to fix
    /// ```hcl
    /// data "aws_iam_policy_document" "tls_only" {
    ///   statement {
    ///     sid       = "DenyInsecureTransport"
    ///     effect    = "Deny"
    ///     actions   = ["s3:*"]
    ///     resources = [aws_s3_bucket.data.arn, "${aws_s3_bucket.data.arn}/*"]
    ///     principals {
    ///       type        = "*"
    ///       identifiers = ["*"]
    ///     }
    ///     condition {
    ///       test     = "Bool"
    ///       variable = "aws:SecureTransport"
    ///       values   = ["false"]
    ///     }
    ///   }
    /// }
    ///
    /// resource "aws_s3_bucket_policy" "data" {
    ///   bucket = aws_s3_bucket.data.id
    ///   policy = data.aws_iam_policy_document.tls_only.json
    /// }
    /// ```
    pub struct S3BucketSecureTransport {
        id: "AWS-S3-002",
        slug: "s3-bucket-secure-transport",
        title: "S3 bucket policy denies requests without TLS",
        severity: Medium,
        family: EncryptionInTransit,
    }
}

impl Rule for S3BucketSecureTransport {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for b in &model.aws.s3_buckets {
            let p = &b.policy;
            match &p.value {
                Resolved::Unknown(r) => {
                    out.not_evaluated(&b.meta, &p.origin, &p.path, r.to_string())
                }
                Resolved::Set(doc) | Resolved::Defaulted(doc) => {
                    if denies_insecure(doc) {
                        out.pass(&b.meta, &p.origin, &p.path);
                    } else if let Some(r) = &doc.incomplete {
                        out.not_evaluated(&b.meta, &p.origin, &p.path, r.to_string());
                    } else if p.is_set() {
                        out.fail(&b.meta, &p.origin, &p.path, "bucket policy does not deny requests without TLS (aws:SecureTransport = false)");
                    } else {
                        out.fail(&b.meta, &p.origin, &p.path, "bucket has no policy denying requests without TLS (aws:SecureTransport = false)");
                    }
                }
            }
        }
    }
}
