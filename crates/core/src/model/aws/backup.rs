//! AWS Backup: vaults (with their lock) and backup plans (with their selections).

use serde::{Deserialize, Serialize};

use super::iam::PolicyDocument;
use crate::model::{Origin, ResourceMeta, Value};

/// A backup vault (`aws_backup_vault`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BackupVault {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `name`.
    pub name: Value<String>,
    /// `kms_key_arn`; `Defaulted(None)`: the AWS managed key `aws/backup` (provider docs:
    /// "If you don't specify a key, AWS Backup uses the default key"). Live AWS
    /// (`ListBackupVaults` `EncryptionKeyArn`): `Set(Some(arn))` when KMS `DescribeKey`
    /// says the key is customer managed, `Set(None)` for a key of AWS's (the AWS managed
    /// `aws/backup` key, or `EncryptionKeyType` `AWS_OWNED_KMS_KEY`), `Defaulted(None)`
    /// when no key is reported.
    pub kms_key: Value<Option<String>>,
    /// Whether a vault lock (`aws_backup_vault_lock_configuration`) applies to the vault;
    /// `Defaulted(false)` without one, unknown when a lock in scope could not be tied to a
    /// vault. Live AWS: `ListBackupVaults` `Locked`.
    pub locked: Value<bool>,
    /// The vault's access policy (`aws_backup_vault_policy` for the vault); `Defaulted`
    /// empty without one (only the owner account has access).
    pub policy: Value<PolicyDocument>,
}

/// One rule of a backup plan.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BackupPlanRule {
    /// `rule_name`.
    pub name: Value<String>,
    /// Where the rule block is written.
    pub origin: Origin,
    /// `lifecycle.delete_after` in days; `Defaulted(None)` when the rule has no lifecycle
    /// (recovery points are kept until deleted by hand).
    pub delete_after_days: Value<Option<i64>>,
}

/// A backup plan (`aws_backup_plan`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BackupPlan {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// The plan's rules (`rule` blocks); unknown when a `dynamic "rule"` block could not be
    /// expanded.
    pub rules: Value<Vec<BackupPlanRule>>,
    /// Whether a backup selection (`aws_backup_selection`) assigns resources to the plan;
    /// `Defaulted(false)` without one, unknown when a selection in scope could not be tied
    /// to a plan. Live AWS: whether `ListBackupSelections` of the plan lists any.
    pub has_selection: Value<bool>,
}
