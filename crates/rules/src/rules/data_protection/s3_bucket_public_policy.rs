//! AWS-S3-021: S3 bucket policies do not allow everyone.

use super::s3_bucket_public_acl::neutralised;
use crate::model::Model;
use crate::rules::public_policy::{self, Verdict};
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks every S3 bucket policy (`policy` argument or `aws_s3_bucket_policy`) for an
    /// `Allow` statement with `Principal = "*"` (or `{"AWS": "*"}`) and no condition that
    /// restricts the caller (`aws:SourceArn`, `aws:SourceAccount`, `aws:SourceVpc`,
    /// `aws:SourceVpce`, `aws:SourceIp`, `aws:PrincipalOrgID`, `aws:PrincipalAccount`, ...).
    /// Not reported when a public access block of the bucket or account sets
    /// `restrict_public_buckets = true`, which limits such grants to AWS services and the
    /// owner account.
    ///
    /// ## Why it matters (SOC 2)
    /// C1.1 and CC6.6: a policy allowing everyone exposes the bucket's objects (or
    /// writes to it) to the internet.
    ///
    /// ## Default assumed
    /// A bucket without a policy has none. `aws:Referer` and `aws:UserAgent` are not
    /// restrictions: any client can set them.
    ///
    /// ## Not evaluated
    /// When the policy is unknown, includes an unknown document and shows no public
    /// statement otherwise, or is public but the public access block that may restrict
    /// it is unknown.
    ///
    /// ## How to fix
    /// Serve public content through CloudFront with origin access control, and restrict
    /// the bucket policy to it:
    /// ```hcl
    /// statement {
    ///   actions   = ["s3:GetObject"]
    ///   resources = ["${aws_s3_bucket.site.arn}/*"]
    ///   principals {
    ///     type        = "Service"
    ///     identifiers = ["cloudfront.amazonaws.com"]
    ///   }
    ///   condition {
    ///     test     = "StringEquals"
    ///     variable = "aws:SourceArn"
    ///     values   = [aws_cloudfront_distribution.site.arn]
    ///   }
    /// }
    /// ```
    pub struct S3BucketPublicPolicy {
        id: "AWS-S3-021",
        slug: "s3-bucket-public-policy",
        title: "S3 bucket policies do not allow public access",
        severity: Critical,
        family: DataProtection,
    }
}

impl Rule for S3BucketPublicPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for b in &model.aws.s3_buckets {
            let (m, p) = (&b.meta, &b.policy);
            let verdict = match public_policy::judge(p, "bucket policy") {
                Verdict::Public(message) => {
                    match neutralised(model, b, |pab| &pab.restrict_public_buckets) {
                        Some(true) => Verdict::Private,
                        Some(false) => Verdict::Public(message),
                        None => Verdict::Unknown(
                            "the bucket policy is public and the public access block that may restrict it is unknown".into(),
                        ),
                    }
                }
                other => other,
            };
            public_policy::record(out, m, p, verdict);
        }
    }
}
