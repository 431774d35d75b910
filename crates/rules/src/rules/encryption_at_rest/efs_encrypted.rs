//! AWS-EFS-001: EFS file systems are encrypted at rest.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every EFS file system (`aws_efs_file_system`) has `encrypted = true`.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 and C1.1 expect stored customer data to be encrypted. File shares often hold
    /// exports, uploads and application state; EFS encryption at rest can only be chosen
    /// when the file system is created, so an unencrypted one must be migrated.
    ///
    /// ## Default assumed
    /// `encrypted` defaults to `false` (AWS provider docs for `aws_efs_file_system`; EFS
    /// API `CreateFileSystem`: `Encrypted` is false unless given).
    ///
    /// ## Not evaluated
    /// When `encrypted` comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_efs_file_system" "shared" {
    ///   encrypted  = true
    ///   kms_key_id = aws_kms_key.efs.arn
    /// }
    /// ```
    pub struct EfsEncrypted {
        id: "AWS-EFS-001",
        slug: "efs-encrypted",
        title: "EFS file systems are encrypted at rest",
        severity: High,
        family: EncryptionAtRest,
    }
}

impl Rule for EfsEncrypted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for fs in &model.aws.efs_file_systems {
            out.require_true(
                &fs.meta,
                &fs.encrypted,
                "EFS file system is not encrypted at rest",
            );
        }
    }
}
