//! AWS-S3-022: S3 buckets are covered by a public access block with all four settings.

use crate::model::aws::s3::PublicAccessBlock;
use crate::model::{Model, Resolved, Value};
use crate::rules::{Emitter, Rule, RuleMeta};

/// The four settings with their names.
pub(crate) fn settings(p: &PublicAccessBlock) -> [(&'static str, &Value<bool>); 4] {
    [
        ("block_public_acls", &p.block_public_acls),
        ("block_public_policy", &p.block_public_policy),
        ("ignore_public_acls", &p.ignore_public_acls),
        ("restrict_public_buckets", &p.restrict_public_buckets),
    ]
}

crate::declare_rule! {
    /// ## What it does
    /// Checks that every S3 bucket has an `aws_s3_bucket_public_access_block` with
    /// `block_public_acls`, `block_public_policy`, `ignore_public_acls` and
    /// `restrict_public_buckets` all `true` — or that the configuration declares an
    /// `aws_s3_account_public_access_block` with all four `true`, which covers every
    /// bucket of the account.
    ///
    /// ## Why it matters (SOC 2)
    /// C1.1 and CC6.6: the public access block is the guard rail that keeps a later
    /// mistake — a public ACL, a `Principal "*"` policy — from exposing the bucket.
    ///
    /// ## Default assumed
    /// Every setting defaults to `false` (provider docs). Since April 2023 S3 turns the
    /// block on for new buckets, but a Terraform-managed block with `false` values, or
    /// buckets created earlier, are not covered; an account-level block declared in
    /// another configuration is not seen — suppress with a justification then.
    ///
    /// ## Not evaluated
    /// When a setting comes from a variable without a value, or a public access block
    /// whose `bucket` is unknown might cover the bucket.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_s3_bucket_public_access_block" "data" {
    ///   bucket                  = aws_s3_bucket.data.id
    ///   block_public_acls       = true
    ///   block_public_policy     = true
    ///   ignore_public_acls      = true
    ///   restrict_public_buckets = true
    /// }
    /// ```
    pub struct S3BucketPublicAccessBlock {
        id: "AWS-S3-022",
        slug: "s3-bucket-public-access-block",
        title: "S3 buckets have a public access block",
        severity: Medium,
        family: DataProtection,
    }
}

impl Rule for S3BucketPublicAccessBlock {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for (i, b) in model.aws.s3_buckets.iter().enumerate() {
            let m = &b.meta;
            // The account-level blocks of the bucket's account (or root module).
            let account = model.bucket_account_blocks(i).into_iter().find(|a| {
                settings(&a.block)
                    .iter()
                    .all(|(_, v)| v.known() == Some(&true))
            });
            if let Some(a) = account {
                out.pass(m, &a.meta.origin, "public_access_block");
                continue;
            }
            let Some(pab) = &b.public_access_block else {
                out.fail(
                    m,
                    &m.origin,
                    "public_access_block",
                    "the bucket has no public access block (and no account-level block is declared)",
                );
                continue;
            };
            let s = settings(pab);
            if let Some((name, v)) = s.iter().find(|(_, v)| v.known() == Some(&false)) {
                out.fail(
                    m,
                    &v.origin,
                    &v.path,
                    format!("the bucket's public access block does not set `{name}`"),
                );
            } else if let Some((_, v)) = s
                .iter()
                .find(|(_, v)| matches!(v.value, Resolved::Unknown(_)))
            {
                out.not_evaluated(
                    m,
                    &v.origin,
                    &v.path,
                    v.unknown_reason().unwrap_or_default().to_string(),
                );
            } else {
                out.pass(m, &s[0].1.origin, "public_access_block");
            }
        }
    }
}
