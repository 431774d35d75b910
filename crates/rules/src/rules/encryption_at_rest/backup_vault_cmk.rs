//! AWS-BAK-001: AWS Backup vaults encrypt recovery points with a customer managed key.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every AWS Backup vault (`aws_backup_vault`) sets `kms_key_arn` to a
    /// customer managed key. The AWS managed key (`alias/aws/backup`, also used when
    /// `kms_key_arn` is absent) fails.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 and C1.1: a vault holds copies of every protected database and volume. With a
    /// customer managed key, restoring or copying a recovery point needs the key as well,
    /// and the key policy can keep the backup administrators separate from the data.
    ///
    /// ## Default assumed
    /// Without `kms_key_arn` AWS Backup uses its default key `aws/backup` (AWS provider
    /// docs for `aws_backup_vault`).
    ///
    /// ## Live AWS
    /// The vault's `EncryptionKeyArn` is looked up with KMS `DescribeKey`: a key whose
    /// `KeyManager` is not `CUSTOMER` (the AWS managed `aws/backup` key) fails, as does an
    /// AWS owned key.
    ///
    /// ## Not evaluated
    /// When `kms_key_arn` comes from a variable without a value; live, when
    /// `ListBackupVaults` or `DescribeKey` fails.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_backup_vault" "main" {
    ///   name        = "main"
    ///   kms_key_arn = aws_kms_key.backup.arn
    /// }
    /// ```
    pub struct BackupVaultCmk {
        id: "AWS-BAK-001",
        slug: "backup-vault-cmk",
        title: "Backup vaults use a customer managed KMS key",
        severity: Medium,
        family: EncryptionAtRest,
    }
}

impl Rule for BackupVaultCmk {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for v in &model.aws.backup_vaults {
            out.require(
                &v.meta,
                &v.kms_key,
                |k| k.as_deref().is_some_and(|k| !k.contains("alias/aws/")),
                |k| match k {
                    Some(k) => format!("vault is encrypted with the AWS managed key {k}"),
                    None => "vault is encrypted with the AWS managed key aws/backup".to_string(),
                },
            );
        }
    }
}
