//! AWS-KMS-010: KMS keys keep a deletion waiting period long enough to notice a mistake.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every KMS key (`aws_kms_key`) has `deletion_window_in_days` of at least
    /// `kms_deletion_window_days` (default 14) in the project settings.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 and A1.2: deleting a key makes everything encrypted with it, including
    /// backups, unrecoverable. The waiting period is the only chance to cancel a deletion
    /// scheduled by mistake or by an attacker. The 7-day minimum leaves a single week
    /// (including a weekend) for monitoring to raise the `PendingDeletion` event and for
    /// someone to act on it; 14 days gives two review cycles. AWS's own default is 30.
    ///
    /// ## Default assumed
    /// `deletion_window_in_days` defaults to 30 (AWS provider docs for `aws_kms_key`; KMS
    /// `ScheduleKeyDeletion`), which passes.
    ///
    /// ## Not evaluated
    /// When the value comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_kms_key" "data" {
    ///   enable_key_rotation     = true
    ///   deletion_window_in_days = 30
    /// }
    /// ```
    pub struct KmsKeyDeletionWindow {
        id: "AWS-KMS-010",
        slug: "kms-key-deletion-window",
        title: "KMS keys have a deletion window of at least 14 days",
        severity: Medium,
        family: EncryptionAtRest,
    }
}

impl Rule for KmsKeyDeletionWindow {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        let min = out.settings().kms_deletion_window_days;
        for k in &model.aws.kms_keys {
            out.require(
                &k.meta,
                &k.deletion_window_days,
                |d| *d >= min,
                |d| format!("key deletion window is {d} day(s), shorter than {min}"),
            );
        }
    }
}
