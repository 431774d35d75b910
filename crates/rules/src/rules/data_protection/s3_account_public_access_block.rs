//! AWS-S3-023: the account-level S3 public access block sets all four settings.

use super::s3_bucket_public_access_block::settings;
use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks every `aws_s3_account_public_access_block` for `block_public_acls`,
    /// `block_public_policy`, `ignore_public_acls` and `restrict_public_buckets` all
    /// `true`, one result per setting. A configuration without one gives no result: the
    /// account baseline is often managed elsewhere (AWS-S3-022 checks the buckets).
    ///
    /// ## Why it matters (SOC 2)
    /// C1.1 and CC6.6: the account-level block protects every bucket, including those
    /// created later or outside Terraform, against public ACLs and policies.
    ///
    /// ## Default assumed
    /// Every setting defaults to `false` (provider docs).
    ///
    /// ## Not evaluated
    /// When a setting comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_s3_account_public_access_block" "account" {
    ///   block_public_acls       = true
    ///   block_public_policy     = true
    ///   ignore_public_acls      = true
    ///   restrict_public_buckets = true
    /// }
    /// ```
    pub struct S3AccountPublicAccessBlock {
        id: "AWS-S3-023",
        slug: "s3-account-public-access-block",
        title: "The account-level S3 public access block is fully enabled",
        severity: Medium,
        family: DataProtection,
    }
}

impl Rule for S3AccountPublicAccessBlock {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for a in &model.aws.s3_account_public_access_blocks {
            for (name, v) in settings(&a.block) {
                out.require_true(
                    &a.meta,
                    v,
                    &format!("the account public access block does not set `{name}`"),
                );
            }
        }
    }
}
