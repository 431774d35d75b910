//! AWS-BAK-004: AWS Backup vaults are locked.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every AWS Backup vault (`aws_backup_vault`) has a vault lock
    /// (`aws_backup_vault_lock_configuration` whose `backup_vault_name` names it).
    ///
    /// ## Why it matters (SOC 2)
    /// A1.2 and CC6.1: without a lock, anyone who can delete recovery points (a
    /// compromised administrator, ransomware with stolen credentials) can destroy the
    /// backups together with the data. A lock enforces the retention; in compliance mode
    /// not even the root user can shorten it.
    ///
    /// ## Default assumed
    /// A vault is unlocked unless a lock configuration is applied.
    ///
    /// ## Not evaluated
    /// When a lock configuration's `backup_vault_name` comes from a value that cannot be
    /// resolved, so it might apply to this vault.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_backup_vault_lock_configuration" "main" {
    ///   backup_vault_name   = aws_backup_vault.main.name
    ///   min_retention_days  = 7
    ///   max_retention_days  = 365
    ///   changeable_for_days = 3
    /// }
    /// ```
    pub struct BackupVaultLock {
        id: "AWS-BAK-004",
        slug: "backup-vault-lock",
        title: "Backup vaults are locked",
        severity: Medium,
        family: Backup,
    }
}

impl Rule for BackupVaultLock {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for v in &model.aws.backup_vaults {
            out.require_true(
                &v.meta,
                &v.locked,
                "backup vault has no vault lock: recovery points can be deleted before their retention ends",
            );
        }
    }
}
