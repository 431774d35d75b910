//! AWS-ECR-001: ECR repositories are encrypted with KMS.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every ECR repository (`aws_ecr_repository`) has
    /// `encryption_configuration { encryption_type = "KMS" }` (or `KMS_DSSE`).
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1: images carry application code and sometimes baked-in configuration. With
    /// KMS, pulling a layer also needs the key, whose policy and CloudTrail records add an
    /// access control and an audit trail beyond the repository policy.
    ///
    /// ## Default assumed
    /// `encryption_type` defaults to `AES256`, S3-managed keys (AWS provider docs for
    /// `aws_ecr_repository`). It cannot be changed after the repository is created.
    ///
    /// ## Not evaluated
    /// When `encryption_type` comes from a variable without a value, or the block is a
    /// `dynamic` block that cannot be expanded.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_ecr_repository" "api" {
    ///   name = "api"
    ///   encryption_configuration {
    ///     encryption_type = "KMS"
    ///     kms_key         = aws_kms_key.ecr.arn
    ///   }
    /// }
    /// ```
    pub struct EcrRepositoryKms {
        id: "AWS-ECR-001",
        slug: "ecr-repository-kms",
        title: "ECR repositories are encrypted with KMS",
        severity: Low,
        family: EncryptionAtRest,
    }
}

impl Rule for EcrRepositoryKms {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for r in &model.aws.ecr_repositories {
            out.require(
                &r.meta,
                &r.encryption_type,
                |t| t.starts_with("KMS"),
                |t| format!("repository uses {t} encryption, not KMS"),
            );
        }
    }
}
